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

const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Finds `::command k=v,...::message` lines, the way the runner reads stdout. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = COMMAND.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    commands.push({ command: match[1]!, properties, message: unescapeData(match[3] ?? '') });
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
