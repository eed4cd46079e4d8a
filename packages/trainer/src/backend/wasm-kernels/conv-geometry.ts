import { backend_util } from '@tensorflow/tfjs-core';

/** Shapes of one NHWC, dilation-1 convolution, as the im2col/col2im loops need them. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

type Shape4 = [number, number, number, number];

/** Resolves strides and padding of an NHWC conv2d; refuses NCHW, which these kernels skip. */
export function convGeometry(
  kernel: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: {
    strides: number | [number, number];
    pad: Parameters<typeof backend_util.computeConv2DInfo>[4];
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): ConvGeometry {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${kernel} on wasm supports dataFormat NHWC only, got NCHW`);
  }
  const info = backend_util.computeConv2DInfo(
    [...inShape] as Shape4,
    [...filterShape] as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Rows of the patch matrix: filterHeight × filterWidth × inChannels. */
export const patchSize = (g: ConvGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;

/** Columns of the patch matrix: one per output pixel. */
export const outputPixels = (g: ConvGeometry): number => g.batch * g.outHeight * g.outWidth;
