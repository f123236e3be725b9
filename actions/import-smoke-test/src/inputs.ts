// Reads and validates every input of action.yml into a typed Inputs object; all user mistakes stop here.
import {
  ConfigurationError,
  createInputReader,
  parseKeyValueLines,
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
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function getInputs(env: Environment = process.env): Inputs {
  const read = createInputReader(env);
  const imports = parseImports(read.required('imports'));

  const python = read.string('python') || 'python3';
  if (python.startsWith('-') || /[\r\n\0]/.test(python)) {
    throw new ConfigurationError(`invalid interpreter "${python}" for input "python"`);
  }

  const workingDirectory = read.string('working-directory') || '.';
  const pythonpath = read
    .raw('pythonpath')
    .split(/[\r\n:]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));

  const pairs = parseKeyValueLines(read.raw('env'), 'env');
  for (const [key] of pairs) {
    if (!ENV_NAME.test(key)) {
      throw new ConfigurationError(
        `invalid variable name "${key}" in input "env" (letters, digits and _ only, not starting with a digit)`,
      );
    }
  }

  const image = read.string('image');
  if (image !== '' && !IMAGE.test(image)) {
    throw new ConfigurationError(`invalid image reference "${image}" for input "image"`);
  }
  const network = read.string('network') || 'none';
  if (!NETWORK.test(network)) {
    throw new ConfigurationError(`invalid network "${network}" for input "network"`);
  }

  const timeout = read.duration('timeout', '60s');
  if (timeout <= 0)
    throw new ConfigurationError(`invalid duration "${read.string('timeout')}" for input "timeout"`);

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
