import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, SystemClock, TravellingClock } from './clock.js';
import { ClockRepository } from './clock.repository.js';
import { ServerTimeResolver } from './server-time.resolver.js';
import { TimeTravelResolver } from './time-travel.resolver.js';

/** Keeps a travelling clock's offset in step with the other instances' (every second). */
@Injectable()
class ClockRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(@Inject(Clock) private readonly clock: Clock) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(this.clock instanceof TravellingClock)) return;
    const clock = this.clock;
    await clock.refresh();
    this.timer = setInterval(() => void clock.refresh().catch(() => undefined), 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** The service's clock: the system's, a travelling one in time-travel mode, or a test's. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(options: { timeTravel: boolean; clock?: Clock }): DynamicModule {
    const clock = options.clock
      ? { provide: Clock, useValue: options.clock }
      : options.timeTravel
        ? {
            provide: Clock,
            inject: [ClockRepository],
            useFactory: (stored: ClockRepository) => new TravellingClock(stored),
          }
        : { provide: Clock, useValue: new SystemClock() };
    return {
      module: ClockModule,
      providers: [
        ClockRepository,
        clock,
        ClockRefresher,
        ServerTimeResolver,
        ...(options.timeTravel ? [TimeTravelResolver] : []),
      ],
      exports: [Clock],
    };
  }
}
