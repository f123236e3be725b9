// `pnpm emulator --scenario FILE [--port N] [--time-scale X | --clock virtual]`: runs the emulator until interrupted.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ScenarioError, SCENARIOS_DIR, startEmulator } from './index.js';

const USAGE =
  'usage: pnpm emulator --scenario FILE [--port N] [--time-scale X | --clock virtual]   (scenarios shipped: ' +
  SCENARIOS_DIR +
  ')';

async function main(): Promise<void> {
  let values: {
    scenario?: string;
    port?: string;
    'time-scale'?: string;
    clock?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        scenario: { type: 'string', short: 's' },
        port: { type: 'string', short: 'p' },
        'time-scale': { type: 'string', short: 't' },
        clock: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.scenario) fail(`--scenario is required\n${USAGE}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`invalid --port "${values.port}": expected an integer 0-65535`);
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0))
    fail(`invalid --time-scale "${values['time-scale']}": expected a number > 0`);
  const clock = values.clock ?? 'scaled';
  if (clock !== 'scaled' && clock !== 'virtual')
    fail(`invalid --clock "${values.clock}": expected scaled or virtual`);
  // A bare name picks a shipped scenario: --scenario incident-crash-on-import
  let file = values.scenario;
  if (!/[\\/]/.test(file) && !/\.(ya?ml|json)$/.test(file)) file = path.join(SCENARIOS_DIR, `${file}.yaml`);
  try {
    const emulator = await startEmulator({
      scenario: path.resolve(file),
      port,
      ...(timeScale !== undefined ? { timeScale } : {}),
      clock,
    });
    console.log(`ECS emulator listening on ${emulator.endpoint}`);
    console.log(`  scenario ${file}; events: ${emulator.endpoint}/_emulator/events`);
    if (clock === 'virtual')
      console.log(
        `  virtual clock: time moves only on POST ${emulator.endpoint}/_emulator/clock {"advanceBy": ms}`,
      );
    console.log(
      `  export AWS_ENDPOINT_URL=${emulator.endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing`,
    );
    const stop = (): void => {
      void emulator.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    if (error instanceof ScenarioError) fail(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`port ${port} is already in use`);
    throw error;
  }
}

function fail(message: string): never {
  console.error(`ecs-emulator: ${message}`);
  process.exit(2);
}

await main();
