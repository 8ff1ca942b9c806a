/**
 * The TensorFlow.js the demos run on: tfjs-core, the CPU and WebGL backends, and ONLY the kernels
 * and gradients listed here. Importing the backends' packages whole registers every kernel they
 * have (and `register_all_gradients` every gradient), which made the demo bundle 730 KB; this list
 * keeps it to what the demos use. It is the one list: the demo webview registers it
 * (src/webview/demos/main.ts) and the demos' unit tests run on exactly it, on the CPU backend
 * (test/unit/demos/tfjsNode.ts), so a kernel missing here fails a unit test, not a panel.
 *
 * How to add a kernel — a demo (or its unit test) fails with
 * "Kernel 'X' not registered for backend 'cpu'" (or 'webgl'):
 *  1. X is the kernel's name (`tf.conv2d` → Conv2D, `tf.maxPool` → MaxPool, `tf.avgPool` → AvgPool,
 *     `tf.div` → RealDiv; the error message names it).
 *  2. Import its two configs from the file named after it (FusedBatchNorm is in BatchNorm):
 *       import { maxPoolConfig as maxPoolCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/MaxPool';
 *       import { maxPoolConfig as maxPoolWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/MaxPool';
 *     and add `[maxPoolCpu, maxPoolWebgl]` to KERNELS (alphabetical).
 *  3. If a demo trains through X (X is inside `tf.variableGrads` / `optimizer.minimize`), import its
 *     gradient from '@tensorflow/tfjs-core/dist/gradients/X_grad' into GRADIENTS too; a gradient runs
 *     kernels of its own (MaxPool's needs MaxPoolGrad): the unit test names any that are missing.
 *  4. `npm run compile && node --test out/test/unit/demos` runs every demo's numeric core on these
 *     kernels only; test/unit/demos/tfjsKernels.test.ts checks the list itself.
 */
import { registerGradient, registerKernel, type GradConfig, type KernelConfig } from '@tensorflow/tfjs-core';
// The backends without their kernels: `base` registers the backend itself ('cpu'; 'webgl' in a browser).
import '@tensorflow/tfjs-backend-cpu/dist/base';
import '@tensorflow/tfjs-backend-webgl/dist/base';
import { absConfig as absCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Abs';
import { absConfig as absWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Abs';
import { addConfig as addCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Add';
import { addConfig as addWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Add';
import { argMaxConfig as argMaxCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/ArgMax';
import { argMaxConfig as argMaxWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/ArgMax';
import { batchMatMulConfig as batchMatMulCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/BatchMatMul';
import { batchMatMulConfig as batchMatMulWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/BatchMatMul';
import { castConfig as castCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Cast';
import { castConfig as castWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Cast';
import { concatConfig as concatCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Concat';
import { concatConfig as concatWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Concat';
import { conv2DConfig as conv2DCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Conv2D';
import { conv2DConfig as conv2DWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Conv2D';
import { conv2DBackpropInputConfig as conv2DBackpropInputCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Conv2DBackpropInput';
import { conv2DBackpropInputConfig as conv2DBackpropInputWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Conv2DBackpropInput';
import { equalConfig as equalCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Equal';
import { equalConfig as equalWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Equal';
import { expConfig as expCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Exp';
import { expConfig as expWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Exp';
import { fillConfig as fillCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Fill';
import { fillConfig as fillWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Fill';
import { batchNormConfig as batchNormCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/BatchNorm';
import { batchNormConfig as batchNormWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/BatchNorm';
import { gatherV2Config as gatherV2Cpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/GatherV2';
import { gatherV2Config as gatherV2Webgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/GatherV2';
import { greaterConfig as greaterCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Greater';
import { greaterConfig as greaterWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Greater';
import { greaterEqualConfig as greaterEqualCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/GreaterEqual';
import { greaterEqualConfig as greaterEqualWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/GreaterEqual';
import { identityConfig as identityCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Identity';
import { identityConfig as identityWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Identity';
import { lessConfig as lessCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Less';
import { lessConfig as lessWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Less';
import { log1pConfig as log1pCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Log1p';
import { log1pConfig as log1pWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Log1p';
import { logicalAndConfig as logicalAndCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/LogicalAnd';
import { logicalAndConfig as logicalAndWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/LogicalAnd';
import { logicalOrConfig as logicalOrCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/LogicalOr';
import { logicalOrConfig as logicalOrWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/LogicalOr';
import { maxConfig as maxCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Max';
import { maxConfig as maxWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Max';
import { maximumConfig as maximumCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Maximum';
import { maximumConfig as maximumWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Maximum';
import { meanConfig as meanCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Mean';
import { meanConfig as meanWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Mean';
import { minimumConfig as minimumCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Minimum';
import { minimumConfig as minimumWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Minimum';
import { multiplyConfig as multiplyCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Multiply';
import { multiplyConfig as multiplyWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Multiply';
import { negConfig as negCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Neg';
import { negConfig as negWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Neg';
import { oneHotConfig as oneHotCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/OneHot';
import { oneHotConfig as oneHotWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/OneHot';
import { onesLikeConfig as onesLikeCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/OnesLike';
import { onesLikeConfig as onesLikeWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/OnesLike';
import { packConfig as packCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Pack';
import { packConfig as packWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Pack';
import { padV2Config as padV2Cpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/PadV2';
import { padV2Config as padV2Webgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/PadV2';
import { realDivConfig as realDivCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/RealDiv';
import { realDivConfig as realDivWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/RealDiv';
import { reluConfig as reluCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Relu';
import { reluConfig as reluWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Relu';
import { reshapeConfig as reshapeCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Reshape';
import { reshapeConfig as reshapeWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Reshape';
import { resizeNearestNeighborConfig as resizeNearestNeighborCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/ResizeNearestNeighbor';
import { resizeNearestNeighborConfig as resizeNearestNeighborWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/ResizeNearestNeighbor';
import { reverseConfig as reverseCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Reverse';
import { reverseConfig as reverseWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Reverse';
import { selectConfig as selectCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Select';
import { selectConfig as selectWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Select';
import { sigmoidConfig as sigmoidCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sigmoid';
import { sigmoidConfig as sigmoidWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Sigmoid';
import { sliceConfig as sliceCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Slice';
import { sliceConfig as sliceWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Slice';
import { splitVConfig as splitVCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/SplitV';
import { splitVConfig as splitVWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/SplitV';
import { sqrtConfig as sqrtCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sqrt';
import { sqrtConfig as sqrtWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Sqrt';
import { squareConfig as squareCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Square';
import { squareConfig as squareWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Square';
import { stepConfig as stepCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Step';
import { stepConfig as stepWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Step';
import { subConfig as subCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sub';
import { subConfig as subWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Sub';
import { sumConfig as sumCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sum';
import { sumConfig as sumWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Sum';
import { tanhConfig as tanhCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Tanh';
import { tanhConfig as tanhWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Tanh';
import { tileConfig as tileCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Tile';
import { tileConfig as tileWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Tile';
import { transposeConfig as transposeCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Transpose';
import { transposeConfig as transposeWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Transpose';
import { zerosLikeConfig as zerosLikeCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/ZerosLike';
import { zerosLikeConfig as zerosLikeWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/ZerosLike';
import { absGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Abs_grad';
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad';
import { argMaxGradConfig } from '@tensorflow/tfjs-core/dist/gradients/ArgMax_grad';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad';
import { castGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Cast_grad';
import { concatGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Concat_grad';
import { conv2DGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Conv2D_grad';
import { conv2DBackpropInputGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Conv2DBackpropInput_grad';
import { expGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Exp_grad';
import { fusedBatchNormGradConfig } from '@tensorflow/tfjs-core/dist/gradients/FusedBatchNorm_grad';
import { gatherGradConfig } from '@tensorflow/tfjs-core/dist/gradients/GatherV2_grad';
import { greaterEqualGradConfig } from '@tensorflow/tfjs-core/dist/gradients/GreaterEqual_grad';
import { identityGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Identity_grad';
import { log1pGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Log1p_grad';
import { maxGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Max_grad';
import { maximumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Maximum_grad';
import { meanGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad';
import { minimumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Minimum_grad';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad';
import { negGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Neg_grad';
import { oneHotGradConfig } from '@tensorflow/tfjs-core/dist/gradients/OneHot_grad';
import { onesLikeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/OnesLike_grad';
import { packGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Pack_grad';
import { padV2GradConfig } from '@tensorflow/tfjs-core/dist/gradients/PadV2_grad';
import { divGradConfig } from '@tensorflow/tfjs-core/dist/gradients/RealDiv_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { reshapeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Reshape_grad';
import { resizeNearestNeighborGradConfig } from '@tensorflow/tfjs-core/dist/gradients/ResizeNearestNeighbor_grad';
import { reverseGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Reverse_grad';
import { selectGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Select_grad';
import { sigmoidGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sigmoid_grad';
import { sliceGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Slice_grad';
import { splitVGradConfig } from '@tensorflow/tfjs-core/dist/gradients/SplitV_grad';
import { sqrtGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sqrt_grad';
import { squareGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Square_grad';
import { stepGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Step_grad';
import { subGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sub_grad';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad';
import { tanhGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Tanh_grad';
import { tileGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Tile_grad';
import { transposeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Transpose_grad';
import { zerosLikeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/ZerosLike_grad';

import { cumsumConfig as cumsumCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Cumsum';
import { cumsumConfig as cumsumWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Cumsum';
import { linSpaceConfig as linSpaceCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/LinSpace';
import { linSpaceConfig as linSpaceWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/LinSpace';
import { maxPoolConfig as maxPoolCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/MaxPool';
import { maxPoolConfig as maxPoolWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/MaxPool';
import { avgPoolConfig as avgPoolCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/AvgPool';
import { avgPoolConfig as avgPoolWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/AvgPool';
import { powConfig as powCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Pow';
import { powConfig as powWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Pow';
import { stridedSliceConfig as stridedSliceCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/StridedSlice';
import { stridedSliceConfig as stridedSliceWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/StridedSlice';
import { conv2DBackpropFilterConfig as conv2DBackpropFilterCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Conv2DBackpropFilter';
import { conv2DBackpropFilterConfig as conv2DBackpropFilterWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Conv2DBackpropFilter';
import { maxPoolGradConfig as maxPoolGradCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/MaxPoolGrad';
import { maxPoolGradConfig as maxPoolGradWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/MaxPoolGrad';
import { avgPoolGradConfig as avgPoolGradCpu } from '@tensorflow/tfjs-backend-cpu/dist/kernels/AvgPoolGrad';
import { avgPoolGradConfig as avgPoolGradWebgl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/AvgPoolGrad';
import { powGradConfig as powGradient } from '@tensorflow/tfjs-core/dist/gradients/Pow_grad';
import { maxPoolGradConfig as maxPoolGradient } from '@tensorflow/tfjs-core/dist/gradients/MaxPool_grad';
import { avgPoolGradConfig as avgPoolGradient } from '@tensorflow/tfjs-core/dist/gradients/AvgPool_grad';
/** [CPU config, WebGL config] of every kernel the demos use, by kernel name. */
export const KERNELS: readonly (readonly [KernelConfig, KernelConfig])[] = [
  [absCpu, absWebgl],
  [addCpu, addWebgl],
  [argMaxCpu, argMaxWebgl],
  [avgPoolCpu, avgPoolWebgl],
  [avgPoolGradCpu, avgPoolGradWebgl],
  [batchMatMulCpu, batchMatMulWebgl],
  [castCpu, castWebgl],
  [concatCpu, concatWebgl],
  [conv2DCpu, conv2DWebgl],
  [conv2DBackpropFilterCpu, conv2DBackpropFilterWebgl],
  [conv2DBackpropInputCpu, conv2DBackpropInputWebgl],
  [cumsumCpu, cumsumWebgl],
  [equalCpu, equalWebgl],
  [expCpu, expWebgl],
  [fillCpu, fillWebgl],
  [batchNormCpu, batchNormWebgl],
  [gatherV2Cpu, gatherV2Webgl],
  [greaterCpu, greaterWebgl],
  [greaterEqualCpu, greaterEqualWebgl],
  [identityCpu, identityWebgl],
  [lessCpu, lessWebgl],
  [linSpaceCpu, linSpaceWebgl],
  [log1pCpu, log1pWebgl],
  [logicalAndCpu, logicalAndWebgl],
  [logicalOrCpu, logicalOrWebgl],
  [maxCpu, maxWebgl],
  [maxPoolCpu, maxPoolWebgl],
  [maxPoolGradCpu, maxPoolGradWebgl],
  [maximumCpu, maximumWebgl],
  [meanCpu, meanWebgl],
  [minimumCpu, minimumWebgl],
  [multiplyCpu, multiplyWebgl],
  [negCpu, negWebgl],
  [oneHotCpu, oneHotWebgl],
  [onesLikeCpu, onesLikeWebgl],
  [packCpu, packWebgl],
  [padV2Cpu, padV2Webgl],
  [powCpu, powWebgl],
  [realDivCpu, realDivWebgl],
  [reluCpu, reluWebgl],
  [reshapeCpu, reshapeWebgl],
  [resizeNearestNeighborCpu, resizeNearestNeighborWebgl],
  [reverseCpu, reverseWebgl],
  [selectCpu, selectWebgl],
  [sigmoidCpu, sigmoidWebgl],
  [sliceCpu, sliceWebgl],
  [splitVCpu, splitVWebgl],
  [sqrtCpu, sqrtWebgl],
  [squareCpu, squareWebgl],
  [stepCpu, stepWebgl],
  [stridedSliceCpu, stridedSliceWebgl],
  [subCpu, subWebgl],
  [sumCpu, sumWebgl],
  [tanhCpu, tanhWebgl],
  [tileCpu, tileWebgl],
  [transposeCpu, transposeWebgl],
  [zerosLikeCpu, zerosLikeWebgl],
];

/** Gradients of the kernels the training demos differentiate through. */
export const GRADIENTS: readonly GradConfig[] = [
  absGradConfig,
  addGradConfig,
  argMaxGradConfig,
  batchMatMulGradConfig,
  castGradConfig,
  concatGradConfig,
  conv2DGradConfig,
  conv2DBackpropInputGradConfig,
  expGradConfig,
  fusedBatchNormGradConfig,
  gatherGradConfig,
  greaterEqualGradConfig,
  identityGradConfig,
  log1pGradConfig,
  maxGradConfig,
  maximumGradConfig,
  meanGradConfig,
  minimumGradConfig,
  multiplyGradConfig,
  negGradConfig,
  oneHotGradConfig,
  onesLikeGradConfig,
  packGradConfig,
  padV2GradConfig,
  divGradConfig,
  reluGradConfig,
  reshapeGradConfig,
  resizeNearestNeighborGradConfig,
  reverseGradConfig,
  selectGradConfig,
  sigmoidGradConfig,
  sliceGradConfig,
  splitVGradConfig,
  sqrtGradConfig,
  squareGradConfig,
  stepGradConfig,
  subGradConfig,
  sumGradConfig,
  tanhGradConfig,
  tileGradConfig,
  transposeGradConfig,
  zerosLikeGradConfig,
  powGradient,
  maxPoolGradient,
  avgPoolGradient,
];

let registered = false;

/** Registers KERNELS for both backends and GRADIENTS; idempotent. */
export function registerDemoKernels(): void {
  if (registered) return;
  registered = true;
  for (const [cpu, webgl] of KERNELS) {
    registerKernel(cpu);
    registerKernel(webgl);
  }
  for (const gradient of GRADIENTS) registerGradient(gradient);
}
