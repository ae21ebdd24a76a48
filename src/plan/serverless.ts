// A serverless recipe against its board: the UART requests come in on (one the board names, with a
// driver, not the console), its interrupt lines as host handlers of bento's, and each function's
// times in the board's counter ticks. Pure; run before anything is compiled.
import type { Board, BoardUart, UartKind } from '../config/board.js';
import type { Recipe, RecipeBox, RecipeInterrupt } from '../config/recipe.js';
import { requestUartHandler } from '../config/serverless.js';
import type { InstancePolicy, SchedulerPolicy } from '../config/serverless.js';
import { BentoError } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';

/** UART kinds with a request driver in runtime-c/serverless/ (uart_<kind>.c). */
export const requestUartDrivers: Partial<Record<UartKind, string>> = {
  cmsdk: 'serverless/uart_cmsdk.c',
  'stm32-usart': 'serverless/uart_stm32_usart.c',
};

/** The longest relative deadline the device's 32-bit counter can order (wrap-safe): 2^30 ticks. */
export const maxDeadlineTicks = 2 ** 30;

/** The protocol's head around a payload: type, version, id, deadline, route (up to 31), length, CRC. */
const frameOverhead = 11 + 31 + 2 + 4;

export interface PlannedRoute {
  function: string;
  route: string;
  expectedUs: number;
  deadlineUs: number;
  budgetUs: number;
  expectedTicks: number;
  deadlineTicks: number;
  maxRequest: number;
  maxResponse: number;
  instance: InstancePolicy;
}

export interface ServerlessPlan {
  uart: BoardUart;
  /** The UART's lines as host interrupts of bento's runtime, for planInterrupts. */
  interrupts: RecipeInterrupt[];
  routes: PlannedRoute[];
  scheduler: SchedulerPolicy;
  utilisationMilli: number;
  queue: number;
  /** Bytes of one request slot: the largest request body. */
  slotBytes: number;
  counterHz: number;
}

const ticks = (ns: number, hz: number) => Math.ceil((ns * hz) / 1e9);

export function planServerless(recipe: Recipe, board: Board): ServerlessPlan | undefined {
  const s = recipe.serverless;
  if (!s) return undefined;
  const functions = recipe.boxes.filter((b): b is RecipeBox & { function: NonNullable<RecipeBox['function']> } => b.function !== undefined);
  const uartAt = s.keyLocations.get('uart') ?? s.location;
  const names = [...board.uarts.keys()];
  const fail = (message: string, hint?: string): never => {
    throw new BentoError({ code: 'B1004', message, location: uartAt, ...(hint ? { hint } : {}) });
  };
  if (names.length === 0) fail(`board ${board.name} has no UART for requests: its board file has no [uarts.<NAME>] besides the console`, `add one to ${board.file}, or pick a board that has one (m4, m7, m33, m55)`);
  let name = s.uart;
  if (name === undefined) {
    if (names.length > 1) fail(`board ${board.name} has ${names.length} UARTs for requests (${names.join(', ')}): say which`, `add uart = "${names[0]}" to [serverless]`);
    name = names[0]!;
  }
  const uart = board.uarts.get(name);
  if (!uart) {
    const near = closest(name, names);
    return fail(`'serverless.uart' is '${name}', which is not a UART of ${board.name} (it has ${names.join(', ')})`, near ? `did you mean '${near}'?` : undefined);
  }
  if (uart.base === board.uart.base) fail(`'serverless.uart' is ${name}, the console: requests need a UART of their own`);
  if (!requestUartDrivers[uart.kind]) {
    fail(`${board.name}'s ${name} is a ${uart.kind} UART, and bento has no request driver for that kind yet (it has: ${Object.keys(requestUartDrivers).join(', ')})`);
  }
  const maxPriority = 2 ** board.cpu.priorityBits - 1;
  if (s.priority > maxPriority) {
    throw new BentoError({ code: 'B1004', message: `'serverless.priority' is ${s.priority}, but ${board.name}'s NVIC has ${board.cpu.priorityBits} priority bits (1 .. ${maxPriority})`, location: s.keyLocations.get('priority') ?? s.location });
  }
  const hz = board.counter.hz;
  for (const b of functions) {
    if (ticks(b.function.deadlineNs, hz) > maxDeadlineTicks) {
      throw new BentoError({
        code: 'B1004',
        message: `function ${b.name}: relative-deadline ${b.function.deadlineNs / 1e6} ms is ${ticks(b.function.deadlineNs, hz)} ticks of ${board.name}'s ${hz} Hz counter, more than the 2^30 its 32-bit count can order`,
        location: b.function.keyLocations.get('relative-deadline') ?? b.function.location,
        hint: `at most ${Math.floor((maxDeadlineTicks / hz) * 1000)} ms on ${board.name}`,
      });
    }
  }
  const routes = functions.map((b) => {
    const f = b.function;
    return {
      function: b.name,
      route: f.route,
      expectedUs: Math.ceil(f.expectedNs / 1000),
      deadlineUs: Math.ceil(f.deadlineNs / 1000),
      budgetUs: b.budget ? Math.ceil(b.budget.nanoseconds / 1000) : 0,
      expectedTicks: ticks(f.expectedNs, hz),
      deadlineTicks: ticks(f.deadlineNs, hz),
      maxRequest: f.maxRequest,
      maxResponse: f.maxResponse,
      instance: f.instance,
    };
  });
  return {
    uart,
    interrupts: uart.irqs.map((irq, i) => ({
      name: `serverless_${name!.toLowerCase()}_${i}`,
      irq,
      handler: requestUartHandler,
      priority: s.priority,
      location: { table: uartAt, irq: uart.at, handler: uartAt },
    })),
    routes,
    scheduler: s.scheduler,
    utilisationMilli: s.utilisationPercent * 10,
    queue: s.queue,
    slotBytes: Math.ceil((Math.max(...routes.map((r) => r.maxRequest)) + frameOverhead) / 4) * 4,
    counterHz: hz,
  };
}

/** What the gateway reads (build/<board>/serverless.json): see src/serve/. */
export function serverlessManifest(plan: ServerlessPlan, project: string, board: Board, elf: string): object {
  return {
    version: 1,
    project,
    board: board.name,
    elf,
    uart: { name: plan.uart.name, qemuSerial: plan.uart.qemuSerial ?? null, baud: plan.uart.baud },
    scheduler: plan.scheduler,
    utilisation: plan.utilisationMilli / 1000,
    queue: plan.queue,
    counterHz: plan.counterHz,
    routes: plan.routes.map((r) => ({ route: r.route, function: r.function, expectedUs: r.expectedUs, deadlineUs: r.deadlineUs, budgetUs: r.budgetUs, maxRequest: r.maxRequest, maxResponse: r.maxResponse, instance: r.instance })),
  };
}
