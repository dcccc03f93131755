import { UnrecoverableError } from 'bullmq';
import { IsEnum, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, Float, InputType, Int, registerEnumType } from 'type-graphql';
import { defineJob, sleep, type JobDefinition } from '../../src/jobs/job-definition';
import { DEVICES, FleetQueue, deviceById, geofenceById, GEOFENCES, type Device } from './fleet';

const DEVICE_IDS = DEVICES.map((device) => device.id);
const USER_IDS = [...new Set(DEVICES.map((device) => device.userId))];

/** A notification as the seed stored it in its cache, and as the job's result shows it. */
interface Notification {
  kind: string;
  recipients: string[];
  title: string;
  message: string;
  severity: 'info' | 'warning' | 'critical';
}

const CHANNELS = ['push', 'email'];

/**
 * A notification job type: `compose` turns the input into a notification, which is then "sent" on
 * each channel (simulated: 30 ms each), with progress per channel. Retried as the seed's tasks were.
 */
function notification<Input extends object>(
  name: string,
  description: string,
  input: new () => Input,
  compose: (input: Input) => Notification,
): JobDefinition<Input, { status: string; notification: Notification; channels: string[] }> {
  return defineJob({
    name,
    queue: FleetQueue.NOTIFICATIONS,
    description: `Fleet example: ${description}`,
    input,
    defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 2000 } },
    async process(data, { signal, progress, log }) {
      const sent = compose(data);
      for (const [index, channel] of CHANNELS.entries()) {
        await sleep(30, signal);
        await progress({ current: index + 1, total: CHANNELS.length, message: `sent by ${channel}` });
      }
      await log(`${sent.kind} to ${sent.recipients.join(', ')}: ${sent.title}`);
      return { status: 'sent', notification: sent, channels: CHANNELS };
    },
  });
}

function device(id: string): Device {
  const found = deviceById(id);
  if (!found) throw new UnrecoverableError(`unknown device ${id}`);
  return found;
}

export enum GeofenceEvent {
  ENTER = 'ENTER',
  EXIT = 'EXIT',
}
registerEnumType(GeofenceEvent, { name: 'GeofenceEvent', description: 'A device entering or leaving a geofence.' });

@InputType('SendGeofenceAlertInput', { description: 'Input of sendGeofenceAlert (the seed: send_geofence_alert).' })
export class SendGeofenceAlertInput {
  @Field(() => String) @IsIn(DEVICE_IDS) deviceId!: string;
  @Field(() => String) @IsIn(GEOFENCES.map((geofence) => geofence.id)) geofenceId!: string;
  @Field(() => GeofenceEvent) @IsEnum(GeofenceEvent) event!: GeofenceEvent;
  @Field(() => Float) @IsNumber() @Min(-90) @Max(90) latitude!: number;
  @Field(() => Float) @IsNumber() @Min(-180) @Max(180) longitude!: number;
}

export const sendGeofenceAlert = notification(
  'sendGeofenceAlert',
  'tells the device user a device entered or left a geofence.',
  SendGeofenceAlertInput,
  (input) => {
    const { plate, userId } = device(input.deviceId);
    const place = geofenceById(input.geofenceId)?.name ?? input.geofenceId;
    const verb = input.event === GeofenceEvent.ENTER ? 'entered' : 'left';
    return {
      kind: `geofence_${input.event.toLowerCase()}`,
      recipients: [userId],
      title: `${plate} ${verb} ${place}`,
      message: `${plate} ${verb} ${place} at ${input.latitude}, ${input.longitude}.`,
      severity: 'info',
    };
  },
);

@InputType('SendDeviceOfflineAlertInput', { description: 'Input of sendDeviceOfflineAlert (the seed: send_device_offline_alert).' })
export class SendDeviceOfflineAlertInput {
  @Field(() => String) @IsIn(DEVICE_IDS) deviceId!: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(525_600) offlineMinutes!: number;
}

export const sendDeviceOfflineAlert = notification(
  'sendDeviceOfflineAlert',
  'tells the device user a device stopped reporting.',
  SendDeviceOfflineAlertInput,
  (input) => {
    const { plate, userId } = device(input.deviceId);
    return {
      kind: 'device_offline',
      recipients: [userId],
      title: `${plate} is offline`,
      message: `${plate} has sent no position for ${input.offlineMinutes} minutes.`,
      severity: input.offlineMinutes >= 60 ? 'critical' : 'warning',
    };
  },
);

@InputType('SendSpeedAlertInput', { description: 'Input of sendSpeedAlert (the seed: send_speed_alert).' })
export class SendSpeedAlertInput {
  @Field(() => String) @IsIn(DEVICE_IDS) deviceId!: string;
  @Field(() => Float) @IsNumber() @Min(0) @Max(400) speedKmh!: number;
  @Field(() => Float) @IsNumber() @Min(1) @Max(400) speedLimitKmh!: number;
  @Field(() => Float) @IsNumber() @Min(-90) @Max(90) latitude!: number;
  @Field(() => Float) @IsNumber() @Min(-180) @Max(180) longitude!: number;
}

export const sendSpeedAlert = notification(
  'sendSpeedAlert',
  'tells the device user a device drove over its speed limit.',
  SendSpeedAlertInput,
  (input) => {
    const { plate, driver, userId } = device(input.deviceId);
    return {
      kind: 'speed',
      recipients: [userId],
      title: `${plate} at ${input.speedKmh} km/h`,
      message: `${driver} drove ${plate} at ${input.speedKmh} km/h where the limit is ${input.speedLimitKmh} km/h (${input.latitude}, ${input.longitude}).`,
      severity: input.speedKmh > input.speedLimitKmh * 1.2 ? 'critical' : 'warning',
    };
  },
);

@InputType('SendMaintenanceReminderInput', { description: 'Input of sendMaintenanceReminder.' })
export class SendMaintenanceReminderInput {
  @Field(() => String) @IsIn(DEVICE_IDS) deviceId!: string;
}

export const sendMaintenanceReminder = notification(
  'sendMaintenanceReminder',
  'reminds the device user of its next maintenance.',
  SendMaintenanceReminderInput,
  (input) => {
    const { plate, userId, odometerKm, nextMaintenanceKm } = device(input.deviceId);
    const left = nextMaintenanceKm - odometerKm;
    return {
      kind: 'maintenance_reminder',
      recipients: [userId],
      title: `${plate}: maintenance in ${left} km`,
      message: `${plate} is at ${odometerKm} km; its maintenance is due at ${nextMaintenanceKm} km.`,
      severity: left < 500 ? 'warning' : 'info',
    };
  },
);

@InputType('SendDailySummaryInput', { description: 'Input of sendDailySummary (the seed: send_daily_summary(user_id)).' })
export class SendDailySummaryInput {
  @Field(() => String) @IsIn(USER_IDS) userId!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; yesterday when absent.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  date?: string;
}

export const sendDailySummary = notification(
  'sendDailySummary',
  "sends a user the day's summary of their devices.",
  SendDailySummaryInput,
  (input) => {
    const devices = DEVICES.filter((candidate) => candidate.userId === input.userId);
    const date = input.date?.slice(0, 10) ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    return {
      kind: 'daily_summary',
      recipients: [input.userId],
      title: `Your fleet on ${date}`,
      message: `${devices.length} devices: ${devices.map((candidate) => candidate.plate).join(', ')}.`,
      severity: 'info',
    };
  },
);

export enum AlertSeverity {
  INFO = 'info',
  WARNING = 'warning',
  CRITICAL = 'critical',
}
registerEnumType(AlertSeverity, { name: 'FleetAlertSeverity', description: 'Severity of a fleet example admin alert.' });

@InputType('SendAdminAlertInput', { description: 'Input of sendAdminAlert (the seed: system alerts for admins).' })
export class SendAdminAlertInput {
  @Field(() => String) @IsString() @MinLength(1) @MaxLength(200) title!: string;
  @Field(() => String) @IsString() @MinLength(1) @MaxLength(2000) message!: string;
  @Field(() => AlertSeverity) @IsEnum(AlertSeverity) severity: AlertSeverity = AlertSeverity.WARNING;
}

export const sendAdminAlert = notification('sendAdminAlert', 'alerts the administrators.', SendAdminAlertInput, (input) => ({
  kind: 'admin_alert',
  recipients: ['admins'],
  title: input.title,
  message: input.message,
  severity: input.severity,
}));

export const notificationJobs = [
  sendGeofenceAlert,
  sendDeviceOfflineAlert,
  sendSpeedAlert,
  sendMaintenanceReminder,
  sendDailySummary,
  sendAdminAlert,
];
