// Parsing what an action writes for the runner: workflow commands on stdout and the GITHUB_OUTPUT file format.

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** Undoes the escaping @actions/core applies to a command's message. */
export function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

/** Undoes the escaping @actions/core applies to a command property value. */
export function unescapeProperty(text: string): string {
  return text
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

/**
 * The commands the runner knows (the IActionCommandExtension names in actions/runner's ActionCommandManager.cs, plus
 * stop-commands); names are matched case-insensitively.
 */
export const RUNNER_COMMANDS = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
] as const;

export interface WorkflowCommand {
  /** Lower case. */
  command: string;
  properties: Record<string, string>;
  message: string;
  /** The line as written. */
  line: string;
  /** Written in the legacy `##[name k=v;]data` form. */
  legacy: boolean;
}

/** .NET's char.IsWhiteSpace: what String.TrimStart() removes before the runner looks for "::". */
const DOTNET_WHITESPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Undoes the runner's legacy escaping (`%3B`, `%0D`, `%0A`, `%5D`, `%25`). */
function unescapeLegacy(text: string): string {
  return text
    .replace(/%3B/g, ';')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%');
}

/** ActionCommand.TryParseV2 and TryParse, as the runner applies them to one line. */
function parseLine(line: string, known: Set<string>): WorkflowCommand | undefined {
  const message = line.replace(DOTNET_WHITESPACE, '');
  if (message.startsWith('::')) {
    const end = message.indexOf('::', 2);
    if (end >= 0) {
      const info = message.slice(2, end);
      const space = info.indexOf(' ');
      const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
      if (known.has(name)) {
        const properties: Record<string, string> = {};
        if (space > 0) {
          for (const pair of info
            .slice(space + 1)
            .trim()
            .split(',')
            .filter(Boolean)) {
            const eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length - 1)
              properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
          }
        }
        return {
          command: name,
          properties,
          message: unescapeData(message.slice(end + 2)),
          line,
          legacy: false,
        };
      }
    }
  }
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!known.has(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeLegacy(pair.slice(eq + 1));
    }
  }
  return { command: name, properties, message: unescapeLegacy(line.slice(close + 1)), line, legacy: true };
}

/**
 * The workflow commands the runner would act on in `output` (stdout or stderr), the way actions/runner reads it
 * (OutputManager.OnDataReceived → ActionCommandManager.TryProcessCommand): lines end at `\n`, `\r` or `\r\n`;
 * `::name k=v,…::data` after leading white space, or `##[name k=v;…]data` anywhere in a line; names of known
 * commands only, in any case; between `::stop-commands::TOKEN` and `::TOKEN::` nothing is acted on. With
 * `ignoreStopCommands`, every line that parses is returned, stopped or not (to prove no line is a command at all).
 */
export function parseWorkflowCommands(
  output: string,
  options: { ignoreStopCommands?: boolean } = {},
): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  const known = new Set<string>(RUNNER_COMMANDS);
  let stopToken: string | undefined;
  for (const line of output.split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    const command = parseLine(line, known);
    if (!command) continue;
    if (stopToken !== undefined && !options.ignoreStopCommands) {
      if (command.command === stopToken) {
        known.delete(stopToken);
        stopToken = undefined;
        commands.push(command);
      }
      continue;
    }
    if (command.command === 'stop-commands' && !options.ignoreStopCommands) {
      stopToken = command.message.toLowerCase();
      known.add(stopToken);
    }
    commands.push(command);
  }
  return commands;
}

export function annotationsOf(commands: WorkflowCommand[]): Annotation[] {
  const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return commands
    .filter((c) => c.command === 'error' || c.command === 'warning' || c.command === 'notice')
    .map((c) => {
      const a: Annotation = { level: c.command as Annotation['level'], message: c.message };
      const p = c.properties;
      if (p.file !== undefined) a.file = p.file;
      if (p.title !== undefined) a.title = p.title;
      if (p.line !== undefined) a.line = int(p.line);
      if (p.endLine !== undefined) a.endLine = int(p.endLine);
      if (p.col !== undefined) a.col = int(p.col);
      if (p.endColumn !== undefined) a.endColumn = int(p.endColumn);
      return a;
    });
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file: `name=value` lines and `name<<DELIM ... DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i]!.replace(/\r$/, '') !== delimiter) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`unterminated ${name}<<${delimiter} block in a file command`);
      result[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed file command line: ${JSON.stringify(line)}`);
    result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/** The log as the runner shows it: every value registered with ::add-mask:: replaced by ***. */
export function maskLog(log: string, secrets: string[]): string {
  const sorted = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  let masked = log;
  for (const secret of sorted) masked = masked.split(secret).join('***');
  return masked;
}
