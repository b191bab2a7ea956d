/**
 * The demo lab: `vethmap lab up [scenario]` / `vethmap lab down`. The only vethmap code
 * that changes host networking; everything it makes is named `vlab-…`.
 */
export { labUp } from './up.js';
export { labDown } from './down.js';
export { LAB_ALL, LAB_SCENARIOS } from './scenarios.js';
export { LAB_STATE_FILE } from './state.js';
export { LAB_PREFIX, LabError, type LabLog, type LabReport, type LabResource } from './types.js';
