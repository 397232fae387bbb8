/**
 * schedule/: delayed messages. The delay policy (levels, maximum delay), the timer index kept by
 * dispatch (crash-consistent with the consume queues) and the timer service that moves due
 * messages into their topic.
 */
export {
  CLASSIC_DELAY_PROPERTIES,
  type ClassicDelay,
  DEFAULT_DELAY_LEVELS,
  type DelayPolicy,
  checkDueMs,
  classicDueMs,
  parseDelayLevels,
} from './delay-policy';
export { type ScheduleBucket, TimerIndex } from './timer-index';
export { TimerService } from './timer-service';
