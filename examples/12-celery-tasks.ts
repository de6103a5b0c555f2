/**
 * The tasks of example 12, in a module of their own so worker threads can load them — Celery's
 * `@app.task def add(x, y)`, the cspflow way. Nothing here says where they run.
 */
import { task } from 'cspflow/futures';

export const add = task('celery.add', (x: number, y: number) => x + y);

export const mul = task('celery.mul', (x: number, y: number) => x * y);
