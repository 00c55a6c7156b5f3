/** Imports every worker task so it registers itself; adding a task adds one import here. */
import './clv-task';
import './cluster-task';
export {};
