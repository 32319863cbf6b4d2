// Exports of assembly/eltwise: element-wise kernels and every activation (forward and backward).
export * from './basic';
export * from './activations';
export * from './relu_variants';
export * from './softmax';
