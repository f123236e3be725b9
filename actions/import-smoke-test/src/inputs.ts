// Reads and validates every input of action.yml into a typed Inputs object; all user mistakes stop here.
import {
  ConfigurationError,
  createInputReader,
  parseImageReference,
  parseKeyValueLines,
  shorten,
  type Environment,
} from '@hokusai/action-kit';
import { parseImports, type ImportSpec } from './import-spec.js';

export interface Inputs {
  imports: ImportSpec[];
  python: string;
  'working-directory': string;
  pythonpath: string[];
  env: Array<[string, string]>;
  image: string;
  network: string;
  /** Milliseconds. */
  timeout: number;
}

// Values that end up as docker/interpreter arguments must not be mistaken for options.
// Docker network names: letters, digits, "_", "." and "-" (container:<name> joins another container's network).
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/;
const ENV_NAME = {
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  rule: 'letters, digits and "_", not starting with a digit',
};
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function getInputs(env: Environment = process.env): Inputs {
  const read = createInputReader(env);
  const imports = parseImports(read.required('imports'));

  const python = read.string('python') || 'python3';
  if (python.startsWith('-') || CONTROL.test(python) || python.length > 4096) {
    throw new ConfigurationError(`invalid interpreter ${shorten(python)} for input "python"`);
  }

  const workingDirectory = read.string('working-directory') || '.';
  const pythonpath = read
    .raw('pythonpath')
    .split(/[\r\n:]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  for (const entry of pythonpath) {
    if (CONTROL.test(entry) || entry.length > 4096)
      throw new ConfigurationError(`invalid path ${shorten(entry)} in input "pythonpath"`);
  }

  const pairs = parseKeyValueLines(read.raw('env'), 'env', ENV_NAME);

  const image = read.string('image');
  if (image !== '') parseImageReference(image, 'image', { allowImageId: true });
  const network = read.string('network') || 'none';
  if (!NETWORK.test(network)) {
    throw new ConfigurationError(
      `invalid network ${shorten(network)} for input "network" (a Docker network name, or none)`,
    );
  }

  const timeout = read.duration('timeout', '60s');
  if (timeout <= 0)
    throw new ConfigurationError(
      `invalid duration ${shorten(read.string('timeout'))} for input "timeout": must be more than 0`,
    );

  return {
    imports,
    python,
    'working-directory': workingDirectory,
    pythonpath,
    env: pairs,
    image,
    network,
    timeout,
  };
}
