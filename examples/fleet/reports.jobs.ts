import { UnrecoverableError } from 'bullmq';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';
import { defineJob, sleep, type JobContext } from '../../src/jobs/job-definition';
import { DEVICES, FleetQueue, datesBetween, dayOfPositions, deviceById, summarise, type DaySummary } from './fleet';
import { FleetReportFormat, readReport, writeReport } from './report-files';

registerEnumType(FleetReportFormat, { name: 'FleetReportFormat', description: 'File format of a fleet example report.' });

export enum DeviceReportType {
  SUMMARY = 'SUMMARY',
  DETAILED = 'DETAILED',
  ROUTE = 'ROUTE',
}
registerEnumType(DeviceReportType, { name: 'DeviceReportType', description: 'What a device report of the fleet example lists.' });

const DEVICE_IDS = DEVICES.map((device) => device.id);
/** The longest period of a report, days. */
const MAX_DAYS = 92;

function checkPeriod(start: string, end: string): string[] {
  const dates = datesBetween(start, end);
  if (dates.length === 0) throw new UnrecoverableError(`endDate ${end} is before startDate ${start}`);
  if (dates.length > MAX_DAYS) throw new UnrecoverableError(`a report covers at most ${MAX_DAYS} days, got ${dates.length}`);
  return dates;
}

const SUMMARY_COLUMNS: (keyof DaySummary)[] = [
  'deviceId',
  'date',
  'positions',
  'distanceKm',
  'maxSpeedKmh',
  'averageSpeedKmh',
  'movingMinutes',
  'speedingEvents',
];
const summaryRow = (summary: DaySummary): (string | number)[] => SUMMARY_COLUMNS.map((column) => summary[column]);

@InputType('GenerateDeviceReportInput', { description: 'Input of the generateDeviceReport job (the seed: generate_device_report).' })
export class GenerateDeviceReportInput {
  @Field(() => String)
  @IsIn(DEVICE_IDS)
  deviceId!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  @IsISO8601({ strict: true })
  startDate!: string;

  @Field(() => String, { description: 'Last day, YYYY-MM-DD.' })
  @IsISO8601({ strict: true })
  endDate!: string;

  @Field(() => DeviceReportType)
  @IsEnum(DeviceReportType)
  reportType: DeviceReportType = DeviceReportType.SUMMARY;

  @Field(() => FleetReportFormat)
  @IsEnum(FleetReportFormat)
  format: FleetReportFormat = FleetReportFormat.JSON;
}

/** A device's report: a row per day (SUMMARY), per position (DETAILED) or per position in motion (ROUTE). */
export const generateDeviceReport = defineJob({
  name: 'generateDeviceReport',
  queue: FleetQueue.REPORTS,
  description: 'Fleet example: a report of one device over a period, as a JSON, CSV or XLSX file.',
  input: GenerateDeviceReportInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 5000 } },
  async process(input, context) {
    const device = deviceById(input.deviceId);
    if (!device) throw new UnrecoverableError(`unknown device ${input.deviceId}`);
    const dates = checkPeriod(input.startDate.slice(0, 10), input.endDate.slice(0, 10));
    const detailed = input.reportType !== DeviceReportType.SUMMARY;
    const rows: (string | number)[][] = [];
    for (const [index, date] of dates.entries()) {
      context.signal.throwIfAborted();
      const positions = dayOfPositions(device, date);
      if (!detailed) rows.push(summaryRow(summarise(device, date, positions)));
      else
        for (const position of positions) {
          if (input.reportType === DeviceReportType.ROUTE && position.speedKmh === 0) continue;
          rows.push([new Date(position.recordedAt).toISOString(), position.latitude, position.longitude, position.speedKmh]);
        }
      await sleep(20, context.signal);
      await context.progress({ current: index + 1, total: dates.length, message: date });
    }
    const columns = detailed ? ['recordedAt', 'latitude', 'longitude', 'speedKmh'] : SUMMARY_COLUMNS;
    const title = `${device.plate} ${input.reportType.toLowerCase()} ${dates[0]} to ${dates[dates.length - 1]}`;
    return writeReport(context, { title, columns, rows }, input.format);
  },
});

@InputType('GenerateFleetReportInput', { description: 'Input of the generateFleetReport job (the seed: generate_fleet_report).' })
export class GenerateFleetReportInput {
  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  @IsISO8601({ strict: true })
  startDate!: string;

  @Field(() => String, { description: 'Last day, YYYY-MM-DD.' })
  @IsISO8601({ strict: true })
  endDate!: string;

  @Field(() => [String], { nullable: true, description: 'Only these devices; the whole fleet when absent.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DEVICES.length)
  @IsIn(DEVICE_IDS, { each: true })
  deviceIds?: string[];

  @Field(() => FleetReportFormat)
  @IsEnum(FleetReportFormat)
  format: FleetReportFormat = FleetReportFormat.JSON;
}

/** Sums up `dates` for each device, with progress per device; returns the rows and the fleet's totals. */
async function fleetSummary(context: JobContext, deviceIds: readonly string[] | undefined, dates: readonly string[]) {
  const devices = deviceIds ? DEVICES.filter((device) => deviceIds.includes(device.id)) : DEVICES;
  const rows: (string | number)[][] = [];
  const totals = { devices: devices.length, distanceKm: 0, speedingEvents: 0, movingMinutes: 0 };
  for (const [index, device] of devices.entries()) {
    context.signal.throwIfAborted();
    for (const date of dates) {
      const summary = summarise(device, date, dayOfPositions(device, date));
      rows.push(summaryRow(summary));
      totals.distanceKm = Math.round((totals.distanceKm + summary.distanceKm) * 100) / 100;
      totals.speedingEvents += summary.speedingEvents;
      totals.movingMinutes += summary.movingMinutes;
    }
    await sleep(20, context.signal);
    await context.progress({ current: index + 1, total: devices.length, message: device.id });
  }
  return { rows, totals };
}

export const generateFleetReport = defineJob({
  name: 'generateFleetReport',
  queue: FleetQueue.REPORTS,
  description: 'Fleet example: a report of the fleet (or some devices) over a period, a row per device and day.',
  input: GenerateFleetReportInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 5000 } },
  async process(input, context) {
    const dates = checkPeriod(input.startDate.slice(0, 10), input.endDate.slice(0, 10));
    const { rows, totals } = await fleetSummary(context, input.deviceIds, dates);
    const title = `fleet ${dates[0]} to ${dates[dates.length - 1]}`;
    return { ...(await writeReport(context, { title, columns: SUMMARY_COLUMNS, rows, totals }, input.format)), totals };
  },
});

@InputType('GenerateDailyReportsInput', { description: 'Input of the generateDailyReports job (the seed: daily reports at midnight).' })
export class GenerateDailyReportsInput {
  @Field(() => String, { nullable: true, description: 'The day, YYYY-MM-DD; yesterday when absent.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  date?: string;
}

/** The fleet's report of a day, scheduled at midnight in SCHEDULE_TZ for the day that just ended. */
export const generateDailyReports = defineJob({
  name: 'generateDailyReports',
  queue: FleetQueue.REPORTS,
  description: "Fleet example: the fleet's daily report (CSV) of yesterday or of a given day; scheduled at midnight.",
  input: GenerateDailyReportsInput,
  defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 60_000 }, keepCompletedSeconds: 7 * 86_400 },
  // The seed's beat entry, `crontab(minute=0, hour=0)` in CELERY_TIMEZONE.
  schedules: (config) => [{ id: 'fleet-daily-reports', cron: '0 0 * * *', timeZone: config.scheduleTimeZone, data: {} }],
  async process(input, context) {
    // Yesterday in the schedule's time zone: the day that ended at the midnight the schedule fired.
    const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: context.config.scheduleTimeZone }).format(Date.now() - 86_400_000);
    const date = input.date?.slice(0, 10) ?? yesterday;
    const { rows, totals } = await fleetSummary(context, undefined, [date]);
    return {
      date,
      ...(await writeReport(context, { title: `fleet daily ${date}`, columns: SUMMARY_COLUMNS, rows, totals }, FleetReportFormat.CSV)),
      totals,
    };
  },
});

@InputType('ExportReportDataInput', { description: 'Input of the exportReportData job (the seed: export_report_data).' })
export class ExportReportDataInput {
  @Field(() => String, { description: 'Id of the job that generated the report, e.g. `fleet-reports:12`.' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,99}:[A-Za-z0-9_-]{1,100}$/, { message: 'reportId must be a job id such as fleet-reports:12' })
  reportId!: string;

  @Field(() => FleetReportFormat)
  @IsEnum(FleetReportFormat)
  format: FleetReportFormat = FleetReportFormat.CSV;
}

/** Exports a stored report (one a report job of the same owner made) in another format. */
export const exportReportData = defineJob({
  name: 'exportReportData',
  queue: FleetQueue.REPORTS,
  description: 'Fleet example: exports a report a generate…Report job stored, as JSON, CSV or XLSX.',
  input: ExportReportDataInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 5000 } },
  async process(input, context) {
    const report = await readReport(context, input.reportId);
    // Another owner's report is as absent as a missing one.
    if (!report) throw new UnrecoverableError(`no report ${input.reportId}`);
    await context.progress({ percent: 10, message: 'report read' });
    const { owner: _owner, generatedAt: _generatedAt, ...content } = report;
    return writeReport(context, content, input.format);
  },
});

export const reportJobs = [generateDeviceReport, generateFleetReport, generateDailyReports, exportReportData];
