import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { JobContext } from '../../src/jobs/job-definition';

/** File formats of the example's reports (the seed: JSON, CSV, XLSX). */
export enum FleetReportFormat {
  JSON = 'JSON',
  CSV = 'CSV',
  XLSX = 'XLSX',
}

type Cell = string | number;

/** A report as the example stores it: the seed kept reports in its database, the port as JSON files. */
export interface StoredReport {
  title: string;
  /** Owner of the job that made it: only jobs of the same owner export it. */
  owner: string;
  generatedAt: string;
  columns: string[];
  rows: Cell[][];
  totals?: Record<string, number>;
}

/** What a report job returns: `file` is what `GET /downloads/<job id>` serves, as for `exportReport`. */
export interface ReportFile {
  file: string;
  format: FleetReportFormat;
  bytes: number;
  rows: number;
  downloadUrl: string;
}

/** Where a job's report is, under STORAGE_DIR, as `exportReport` names its files: `reports/<queue>-<id>.<ext>`. */
export const reportPath = (queue: string, jobId: string, extension: string): string =>
  path.join('reports', `${queue}-${jobId}.${extension}`);

/** A CSV cell, as `exportReport` writes them: text a spreadsheet would run as a formula is shown as text. */
function csvCell(value: Cell): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replaceAll('"', '""')}"`;
}

const ownerOf = (context: JobContext): string => (context.job.opts as { jobgate?: { owner?: string } }).jobgate?.owner ?? '';

/**
 * Writes `report` as the job's file in `format`, with progress per row written, and always stores
 * its JSON beside it (`reports/<queue>-<id>.json`), which `exportReportData` reads later.
 */
export async function writeReport(
  context: JobContext,
  report: Omit<StoredReport, 'owner' | 'generatedAt'>,
  format: FleetReportFormat,
): Promise<ReportFile> {
  const { job, config } = context;
  await mkdir(path.join(config.storageDir, 'reports'), { recursive: true });
  const stored: StoredReport = { ...report, owner: ownerOf(context), generatedAt: new Date().toISOString() };
  const json = reportPath(job.queueName, job.id ?? '', 'json');
  await writeFile(path.join(config.storageDir, json), JSON.stringify(stored, null, 2));
  let relative = json;
  if (format === FleetReportFormat.CSV) relative = await writeCsv(context, stored);
  if (format === FleetReportFormat.XLSX) relative = await writeXlsx(context, stored);
  const { size } = await stat(path.join(config.storageDir, relative));
  await context.log(`wrote ${report.rows.length} rows to ${relative} (${size} bytes)`);
  const id = `${job.queueName}:${job.id}`;
  return { file: relative, format, bytes: size, rows: report.rows.length, downloadUrl: `/downloads/${encodeURIComponent(id)}` };
}

/** The stored report a job made, by its global id (`fleet-reports:12`), if `context`'s owner made it. */
export async function readReport(context: JobContext, reportId: string): Promise<StoredReport | undefined> {
  const [queue, jobId] = [reportId.slice(0, reportId.indexOf(':')), reportId.slice(reportId.indexOf(':') + 1)];
  const file = path.join(context.config.storageDir, reportPath(queue, jobId, 'json'));
  const report = JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as StoredReport | null;
  return report && report.owner === ownerOf(context) ? report : undefined;
}

const ROWS_PER_PROGRESS = 500;

async function writeCsv(context: JobContext, report: StoredReport): Promise<string> {
  const relative = reportPath(context.job.queueName, context.job.id ?? '', 'csv');
  const out = createWriteStream(path.join(context.config.storageDir, relative));
  out.write(`${report.columns.map(csvCell).join(',')}\n`);
  for (const [index, row] of report.rows.entries()) {
    if (!out.write(`${row.map(csvCell).join(',')}\n`)) await once(out, 'drain');
    if ((index + 1) % ROWS_PER_PROGRESS === 0) context.signal.throwIfAborted();
  }
  out.end();
  await once(out, 'finish');
  return relative;
}

async function writeXlsx(context: JobContext, report: StoredReport): Promise<string> {
  const { default: ExcelJS } = await import('exceljs');
  const relative = reportPath(context.job.queueName, context.job.id ?? '', 'xlsx');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path.join(context.config.storageDir, relative) });
  const sheet = workbook.addWorksheet(report.title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
  sheet.addRow(report.columns).commit();
  for (const [index, row] of report.rows.entries()) {
    sheet.addRow(row).commit();
    if ((index + 1) % ROWS_PER_PROGRESS === 0) context.signal.throwIfAborted();
  }
  sheet.commit();
  await workbook.commit();
  return relative;
}
