import { UnrecoverableError } from 'bullmq';
import { IsArray, IsDateString, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { defineJob, sleep, type JobContext } from '../../src/jobs/job-definition';
import { DEVICES, FleetQueue, deviceById, geofencesAt, generatePositions, random, summarise, dayOfPositions, type Position } from './fleet';

const DEVICE_IDS = DEVICES.map((device) => device.id);

@InputType('ProcessPositionBatchInput', { description: 'Input of the processPositionBatch job (the seed: process_position_batch).' })
export class ProcessPositionBatchInput {
  @Field(() => Int, { description: 'Positions in the batch: those the devices sent since the last batch, generated.' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  size: number = 200;

  @Field(() => [String], { nullable: true, description: 'Only these devices; all when absent.' })
  @IsOptional()
  @IsArray()
  @IsIn(DEVICE_IDS, { each: true })
  deviceIds?: string[];

  @Field(() => Int, { description: 'Simulated work per position (the seed: a database write and a cache invalidation), ms.' })
  @IsInt()
  @Min(0)
  @Max(1000)
  msPerPosition: number = 5;
}

/** An alert the processing of positions raised: what the seed passed on to its notification tasks. */
export interface PositionAlert {
  kind: 'SPEED' | 'GEOFENCE_ENTER' | 'GEOFENCE_EXIT';
  deviceId: string;
  geofenceId?: string;
  speedKmh?: number;
  speedLimitKmh?: number;
  latitude: number;
  longitude: number;
}

/** Checks one position against the device's limit and the geofences it was in; returns the alerts. */
function processPosition(position: Position, inside: Map<string, string[]>): PositionAlert[] {
  const device = deviceById(position.deviceId);
  if (!device) throw new UnrecoverableError(`unknown device ${position.deviceId}`);
  const where = { latitude: position.latitude, longitude: position.longitude };
  const alerts: PositionAlert[] = [];
  if (position.speedKmh > device.speedLimitKmh) {
    alerts.push({ kind: 'SPEED', deviceId: device.id, speedKmh: position.speedKmh, speedLimitKmh: device.speedLimitKmh, ...where });
  }
  const now = geofencesAt(position);
  const before = inside.get(device.id);
  if (before) {
    for (const id of now.filter((id) => !before.includes(id)))
      alerts.push({ kind: 'GEOFENCE_ENTER', deviceId: device.id, geofenceId: id, ...where });
    for (const id of before.filter((id) => !now.includes(id)))
      alerts.push({ kind: 'GEOFENCE_EXIT', deviceId: device.id, geofenceId: id, ...where });
  }
  inside.set(device.id, now);
  return alerts;
}

const PROGRESS_STEPS = 20;

/**
 * Processes a batch of positions: validates each, checks speed limits and geofences, and records
 * the device's last position. Progress every 5 %. The seed's task queued a notification per alert
 * (`send_speed_alert.delay(…)` inside the task); a Jobgate processor enqueues nothing, so the
 * alerts are in the result, for the caller (or a flow) to act on.
 */
export const processPositionBatch = defineJob({
  name: 'processPositionBatch',
  queue: FleetQueue.POSITIONS,
  description: 'Fleet example: processes a batch of device positions (speed limits, geofences, last positions).',
  input: ProcessPositionBatchInput,
  defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 1000 }, keepCompletedSeconds: 3600 },
  timeLimitMs: 10 * 60_000,
  // The seed's beat entry: every 30 seconds.
  schedules: () => [{ id: 'fleet-position-batch', everyMs: 30_000, data: { size: 200 } }],
  async process(input, { job, signal, progress, log }: JobContext) {
    const devices = input.deviceIds ? DEVICES.filter((device) => input.deviceIds?.includes(device.id)) : DEVICES;
    const positions = generatePositions(`batch:${job.id}`, devices, input.size, job.timestamp);
    const inside = new Map<string, string[]>();
    const alerts: PositionAlert[] = [];
    const last = new Map<string, Position>();
    const every = Math.max(1, Math.floor(positions.length / PROGRESS_STEPS));
    for (const [index, position] of positions.entries()) {
      signal.throwIfAborted();
      alerts.push(...processPosition(position, inside));
      last.set(position.deviceId, position);
      if (input.msPerPosition > 0) await sleep(input.msPerPosition, signal);
      if ((index + 1) % every === 0 || index + 1 === positions.length) {
        await progress({ current: index + 1, total: positions.length, message: `${alerts.length} alerts so far` });
      }
    }
    await log(`processed ${positions.length} positions of ${last.size} devices: ${alerts.length} alerts`);
    return { status: 'success', processed: positions.length, devices: last.size, alertCount: alerts.length, alerts: alerts.slice(0, 50) };
  },
});

@InputType('ProcessSinglePositionInput', { description: 'Input of the processSinglePosition job (the seed: process_single_position).' })
export class ProcessSinglePositionInput {
  @Field(() => String)
  @IsIn(DEVICE_IDS)
  deviceId!: string;

  @Field(() => Float)
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude!: number;

  @Field(() => Float)
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude!: number;

  @Field(() => Float)
  @IsNumber()
  @Min(0)
  @Max(400)
  speedKmh: number = 0;

  @Field(() => String, { nullable: true, description: 'When the device recorded it (ISO 8601); now when absent.' })
  @IsOptional()
  @IsDateString()
  recordedAt?: string;
}

export const processSinglePosition = defineJob({
  name: 'processSinglePosition',
  queue: FleetQueue.POSITIONS,
  description: 'Fleet example: processes one position of a device (speed limit, geofences).',
  input: ProcessSinglePositionInput,
  defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 1000 } },
  async process(input, { progress }) {
    const position = { ...input, recordedAt: input.recordedAt ? Date.parse(input.recordedAt) : Date.now() };
    const alerts = processPosition(position, new Map([[input.deviceId, []]]));
    await progress({ percent: 100 });
    return { status: 'success', deviceId: input.deviceId, geofences: geofencesAt(position), alerts };
  },
});

@InputType('FleetDeviceInput', { description: 'A device of the fleet example and a period in days.' })
export class FleetDeviceInput {
  @Field(() => String)
  @IsString()
  @MaxLength(20)
  @IsIn(DEVICE_IDS)
  deviceId!: string;

  @Field(() => Int, { description: 'Days back from today.' })
  @IsInt()
  @Min(1)
  @Max(366)
  days: number = 7;
}

/** Statistics of a device over the last `days` days, a day at a time (the seed: calculate_device_statistics). */
export const calculateDeviceStatistics = defineJob({
  name: 'calculateDeviceStatistics',
  queue: FleetQueue.POSITIONS,
  description: 'Fleet example: distance, speeds and moving time of a device over the last days.',
  input: FleetDeviceInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 2000 } },
  async process(input, { signal, progress }) {
    const device = deviceById(input.deviceId);
    if (!device) throw new UnrecoverableError(`unknown device ${input.deviceId}`);
    const days = Array.from({ length: input.days }, (_, back) => new Date(Date.now() - (back + 1) * 86_400_000).toISOString().slice(0, 10));
    const summaries = [];
    for (const [index, date] of days.entries()) {
      signal.throwIfAborted();
      summaries.push(summarise(device, date, dayOfPositions(device, date)));
      await sleep(10, signal);
      await progress({ current: index + 1, total: days.length, message: date });
    }
    const distanceKm = Math.round(summaries.reduce((sum, day) => sum + day.distanceKm, 0) * 100) / 100;
    return {
      deviceId: device.id,
      days: input.days,
      distanceKm,
      maxSpeedKmh: Math.max(...summaries.map((day) => day.maxSpeedKmh)),
      movingMinutes: summaries.reduce((sum, day) => sum + day.movingMinutes, 0),
      speedingEvents: summaries.reduce((sum, day) => sum + day.speedingEvents, 0),
    };
  },
});

@InputType('UpdateDeviceStatusInput', { description: 'Input of the updateDeviceStatus job.' })
export class UpdateDeviceStatusInput {
  @Field(() => String)
  @IsIn(DEVICE_IDS)
  deviceId!: string;
}

/** Online, idle or offline from the device's last position (the seed: update_device_status). */
export const updateDeviceStatus = defineJob({
  name: 'updateDeviceStatus',
  queue: FleetQueue.POSITIONS,
  description: 'Fleet example: sets a device online, idle or offline from its last position.',
  input: UpdateDeviceStatusInput,
  defaults: { attempts: 3, backoff: { type: 'fixed', delayMs: 1000 } },
  async process(input, { job, progress }) {
    const next = random(`${input.deviceId}:${job.id}`);
    const lastSeenMinutes = Math.floor(next() * 90);
    const status = lastSeenMinutes > 60 ? 'offline' : lastSeenMinutes > 10 ? 'idle' : 'online';
    await progress({ percent: 100, message: status });
    return { deviceId: input.deviceId, status, lastSeenMinutes };
  },
});

export const positionJobs = [processPositionBatch, processSinglePosition, calculateDeviceStatistics, updateDeviceStatus];
