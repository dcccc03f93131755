/**
 * The producer-fed async iterator the gateway's watchers and the client's streams share: one
 * copy, in `@jobgate/client` (packages/client/src/async-queue.ts), which must not import outside itself.
 */
export { AsyncQueue, type AsyncQueueOptions } from '@jobgate/client/async-queue';
