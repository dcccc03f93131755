import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { defineJob, type JobContext } from './job-definition';

export enum ReportFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
}
registerEnumType(ReportFormat, { name: 'ReportFormat', description: 'File format of an exported report.' });

@InputType({ description: 'Input of the exportReport job.' })
export class ExportReportInput {
  @Field(() => String, { description: 'Report name, written into the file.' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  report!: string;

  @Field(() => ReportFormat)
  @IsEnum(ReportFormat)
  format: ReportFormat = ReportFormat.CSV;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rows: number = 1000;
}

/** One generated report row: what a real report would read from a database. */
function row(index: number, report: string): [number, string, string, number] {
  return [index, report, `item-${index}`, Math.round(((index * 7919) % 10007) * 100) / 100];
}

const HEADER = ['line', 'report', 'item', 'value'];
const PROGRESS_STEPS = 20;

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell: numbers as they are, text quoted, and text that a spreadsheet would run as a
 * formula (`=HYPERLINK(…)` in a report name) prefixed with `'`, which shows it as text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replaceAll('"', '""')}"`;
}

async function writeCsv(file: string, input: ExportReportInput, context: JobContext): Promise<void> {
  const out = createWriteStream(file);
  const every = Math.max(1, Math.floor(input.rows / PROGRESS_STEPS));
  out.write(`${HEADER.join(',')}\n`);
  for (let index = 1; index <= input.rows; index++) {
    if (!out.write(`${row(index, input.report).map(csvCell).join(',')}\n`)) await once(out, 'drain');
    if (index % every === 0) {
      context.signal.throwIfAborted();
      await context.progress({ current: index, total: input.rows });
    }
  }
  out.end();
  await once(out, 'finish');
}

async function writeXlsx(file: string, input: ExportReportInput, context: JobContext): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
  const sheet = workbook.addWorksheet(input.report.slice(0, 31));
  sheet.addRow(HEADER).commit();
  const every = Math.max(1, Math.floor(input.rows / PROGRESS_STEPS));
  for (let index = 1; index <= input.rows; index++) {
    sheet.addRow(row(index, input.report)).commit();
    if (index % every === 0) {
      context.signal.throwIfAborted();
      await context.progress({ current: index, total: input.rows });
    }
  }
  sheet.commit();
  await workbook.commit();
}

/** Writes a CSV or XLSX report into the storage directory and returns where to download it. */
export const exportReport = defineJob({
  name: 'exportReport',
  queue: 'reports',
  description: 'Writes a CSV or XLSX report into storage; the result has its download URL.',
  input: ExportReportInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 5000 } },
  async process(input, context) {
    const extension = input.format === ReportFormat.XLSX ? 'xlsx' : 'csv';
    const dir = path.join(context.config.storageDir, 'reports');
    await mkdir(dir, { recursive: true });
    const relative = path.join('reports', `${context.job.queueName}-${context.job.id}.${extension}`);
    const file = path.join(context.config.storageDir, relative);
    await (extension === 'xlsx' ? writeXlsx : writeCsv)(file, input, context);
    const { size } = await stat(file);
    await context.log(`wrote ${input.rows} rows to ${relative} (${size} bytes)`);
    const id = `${context.job.queueName}:${context.job.id}`;
    return { file: relative, bytes: size, downloadUrl: `/downloads/${encodeURIComponent(id)}` };
  },
});
