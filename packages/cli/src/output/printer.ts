import type { CliIo } from '../io.js';
import { renderCsv } from './csv.js';
import { formatCell, getField, headerFor } from './fields.js';
import type { FormatSpec } from './format-spec.js';
import { styleState, type Style } from './style.js';
import { renderTable, type TableColumn } from './table.js';

/** A default table column of a resource view. */
export interface ColumnSpec {
  readonly field: string;
  /** @defaultValue the field's name in UPPER_SNAKE case */
  readonly header?: string;
  /** Computes the cell instead of reading `field`. */
  readonly cell?: (item: unknown) => string;
  /** Colour the cell as a state word. */
  readonly state?: boolean;
  readonly alignRight?: boolean;
}

/** How a command prints its resources when `--format` is not given, and its table columns. */
export interface ResourceView {
  readonly columns: readonly ColumnSpec[];
  /** @defaultValue 'table' */
  readonly defaultFormat?: 'table' | 'yaml' | 'json';
  /** Applied to each resource for the default format only (e.g. just `jobId` and `state`). */
  readonly defaultProjection?: (item: unknown) => unknown;
}

/** Prints resources in the chosen `--format`, and status lines to stderr unless `--quiet`. */
export class Printer {
  constructor(
    private readonly io: CliIo,
    private readonly format: FormatSpec | undefined,
    readonly quiet: boolean,
    readonly style: Style,
  ) {}

  /** Whether `--format` was given (commands print richer defaults otherwise). */
  get explicitFormat(): boolean {
    return this.format !== undefined;
  }

  /** A status message on stderr, suppressed by `--quiet`. */
  info(message: string): void {
    if (!this.quiet) this.io.stderr.write(`${message}\n`);
  }

  /** Raw text on stdout. */
  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** One resource (describe, create). */
  async resource(item: unknown, view: ResourceView): Promise<void> {
    await this.print([item], view, false);
  }

  /** A list of resources. */
  async resources(items: readonly unknown[], view: ResourceView): Promise<void> {
    await this.print(items, view, true);
  }

  private async print(items: readonly unknown[], view: ResourceView, list: boolean): Promise<void> {
    const spec: FormatSpec = this.format ?? { kind: view.defaultFormat ?? 'table' };
    const shown =
      this.format === undefined && view.defaultProjection !== undefined
        ? items.map(view.defaultProjection)
        : items;
    switch (spec.kind) {
      case 'json':
        this.out(`${JSON.stringify(list ? shown : shown[0], null, 2)}\n`);
        return;
      case 'yaml': {
        const { stringify } = await import('yaml');
        this.out(shown.map((item) => stringify(item, { lineWidth: 0 })).join('---\n'));
        return;
      }
      case 'value':
        for (const item of shown) {
          this.out(`${spec.fields.map((field) => formatCell(getField(item, field))).join('\t')}\n`);
        }
        return;
      case 'csv': {
        const rows = shown.map((item) => spec.fields.map((f) => formatCell(getField(item, f))));
        this.out(renderCsv(spec.heading ? [spec.fields, ...rows] : rows));
        return;
      }
      case 'table':
        this.out(this.table(shown, spec.fields, view.columns));
        return;
    }
  }

  private table(
    items: readonly unknown[],
    fields: readonly string[] | undefined,
    defaults: readonly ColumnSpec[],
  ): string {
    const specs: readonly ColumnSpec[] = fields?.map((field) => ({ field })) ?? defaults;
    const columns: TableColumn[] = specs.map((spec) => ({
      header: spec.header ?? headerFor(spec.field),
      ...(spec.alignRight === true ? { alignRight: true } : {}),
      ...(spec.state === true
        ? {
            colour: (padded: string, plain: string) =>
              padded.replace(plain, styleState(this.style, plain)),
          }
        : {}),
    }));
    const rows = items.map((item) =>
      specs.map((spec) => spec.cell?.(item) ?? formatCell(getField(item, spec.field))),
    );
    const width = this.io.stdout.isTTY === true ? this.io.stdout.columns : undefined;
    return renderTable(columns, rows, {
      ...(width === undefined ? {} : { width }),
      header: this.style.bold,
    });
  }
}
