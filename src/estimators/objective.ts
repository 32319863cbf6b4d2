// The loss J(θ) and gradient of a one-layer model (sigmoid or softmax regression) over the whole
// training set, for the float64 solvers (L-BFGS, full-batch gradient descent). The data term and
// its gradient come from the Sequential's forward/backward kernels (WASM when available); the L2
// term (λ/2m)·‖W‖² is added in float64 here, never on the intercept.

import type { Matrix } from '../data/matrix.js';
import type { Sequential } from '../nn/sequential.js';

export class LinearObjective {
  /** Length of W in the unrolled θ (the L2 part); the intercepts follow. */
  readonly weightCount: number;
  readonly size: number;

  /** `model` must be compiled without L2; `y` are class indices (softmax) or 0/1 (sigmoid). */
  constructor(private readonly model: Sequential, private readonly X: Matrix, private readonly y: Int32Array, private readonly l2: number,
    private readonly weights?: Float32Array) {
    const w = model.getWeights();
    this.weightCount = w[0]!.W!.length;
    this.size = model.paramCount;
  }

  /** J(θ); writes ∇J into grad. */
  evaluate = (theta: Float64Array, grad: Float64Array): number => {
    this.model.setParams(theta);
    const { loss: dataLoss, gradVector } = this.model.lossAndGradients(this.X, this.y, this.weights ? { sampleWeight: this.weights } : {});
    let loss = dataLoss;
    for (let i = 0; i < grad.length; i++) grad[i] = gradVector[i]!;
    if (this.l2 > 0) {
      const m = this.X.rows;
      let sq = 0;
      for (let i = 0; i < this.weightCount; i++) {
        const w = theta[i]!;
        sq += w * w;
        grad[i] += (this.l2 / m) * w;
      }
      loss += (this.l2 / (2 * m)) * sq;
    }
    return loss;
  };
}
