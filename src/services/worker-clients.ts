/** A worker connected to a queue: one BullMQ blocking connection, as `CLIENT LIST` shows it. */
export interface WorkerView {
  /** The worker's name (Jobgate workers: `<host>:<pid>`), or null for an unnamed BullMQ worker. */
  name: string | null;
  /** The connection's `ip:port` as Redis sees it. */
  address: string;
  /** Seconds since the connection opened. */
  ageSeconds: number;
  /** Seconds since the connection's last command (a worker blocked waiting for jobs grows this). */
  idleSeconds: number;
  /**
   * Which process this connection belongs to: host and name for a named worker (a Jobgate
   * worker process opens one connection per queue, all named alike), the address otherwise.
   */
  process: string;
}

interface Client {
  name: string;
  addr: string;
  age: number;
  idle: number;
}

/** Parses the text of `CLIENT LIST` (one `key=value …` line per connection). */
export function parseClientList(list: string): Client[] {
  const clients: Client[] = [];
  for (const line of list.split(/\r?\n/)) {
    if (!line) continue;
    const fields = new Map<string, string>();
    for (const pair of line.split(' ')) {
      const equals = pair.indexOf('=');
      if (equals > 0) fields.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    clients.push({
      name: fields.get('name') ?? '',
      addr: fields.get('addr') ?? '',
      age: Number(fields.get('age') ?? 0),
      idle: Number(fields.get('idle') ?? 0),
    });
  }
  return clients;
}

/**
 * The workers of the queue whose BullMQ client name is `clientName` (`<prefix>:<base64 queue>`):
 * BullMQ names a worker's blocking connection `<clientName>` or `<clientName>:w:<worker name>`.
 */
export function workersOf(clients: readonly Client[], clientName: string): WorkerView[] {
  const named = `${clientName}:w:`;
  return clients
    .filter((client) => client.name === clientName || client.name.startsWith(named))
    .map((client) => {
      const name = client.name.startsWith(named) ? client.name.slice(named.length) : null;
      const host = client.addr.slice(0, Math.max(0, client.addr.lastIndexOf(':')));
      return {
        name,
        address: client.addr,
        ageSeconds: client.age,
        idleSeconds: client.idle,
        process: name ? `${host}/${name}` : client.addr,
      };
    });
}
