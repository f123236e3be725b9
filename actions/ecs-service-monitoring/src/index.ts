// Entry point of the bundled action.
import { run } from '@hokusai/action-kit';
import { main } from './main.js';

void run(main);
