import type { Observable, Subject } from 'rxjs';
import type { FlowEvent } from './domain/flow-event';

/**
 * The application's event stream (`app.events$`), with its rxjs Subject made when it is first
 * watched: rxjs costs milliseconds to load, which `--help` and `list` never need; and an event
 * emitted before anyone watches goes nowhere either way (a Subject keeps none for later subscribers).
 */
export class FlowEventHub {
  private subject: Subject<FlowEvent> | undefined;
  private observable: Observable<FlowEvent> | undefined;
  private completed = false;

  next(event: FlowEvent): void {
    this.subject?.next(event);
  }

  /** Ends the stream: its subscribers complete, and anyone who watches later sees it complete at once. */
  complete(): void {
    this.completed = true;
    this.subject?.complete();
  }

  asObservable(): Observable<FlowEvent> {
    if (!this.observable) {
      const { Subject } = require('rxjs/internal/Subject') as typeof import('rxjs/internal/Subject');
      this.subject = new Subject<FlowEvent>();
      if (this.completed) this.subject.complete();
      this.observable = this.subject.asObservable();
    }
    return this.observable;
  }
}
