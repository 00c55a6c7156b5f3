/** The part of ml-cart (which ships no types) that the benchmark uses. */
declare module 'ml-cart' {
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; maxDepth?: number; minNumSamples?: number });
    train(features: number[][], labels: number[]): void;
    predict(features: number[][]): number[];
  }
}
