export { parseTimeperiod, assertTimeperiod, nextTimeperiod, type Granularity, type ParsedTimeperiod } from './timeperiod';
