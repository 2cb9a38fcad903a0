import { Flow, Main, Step } from '../../src';

@Step({ name: 'beat' })
class Tick {
  @Main() run() {}
}

/** One step that does nothing: many timeperiods of it cost next to nothing (the grid's paging). */
@Flow({ name: 'tick', steps: [Tick] })
export class TickFlow {}
