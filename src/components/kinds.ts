/**
 * Registers every pluggable cell kind: its runtime (state), its component and its notebook-file
 * reader. Each kind lives in its own folder; adding a kind adds one import here.
 */
import './orders/register';
import './clv/register';
import './segment/register';
import './cluster/register';
export {};
