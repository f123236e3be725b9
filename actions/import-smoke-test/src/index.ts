// Entry point of the bundled action: nothing but run(main).
import { run } from '@hokusai/action-kit';
import { main } from './main.js';

void run(main);
