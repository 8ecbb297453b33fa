// The one client both examples use: the stock AWS SDK for JavaScript v3, pointed at Eddy.
//   AWS_ENDPOINT_URL_KINESIS or AWS_ENDPOINT_URL   the endpoint (default http://127.0.0.1:4567)
//   STREAM_NAME                                   the stream (default orders; --stream overrides it)
//   AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   any values do; Eddy checks signatures only for
//                                                 presence unless it runs with --auth=sigv4
import { KinesisClient } from '@aws-sdk/client-kinesis';

export const endpoint =
  process.env.AWS_ENDPOINT_URL_KINESIS || process.env.AWS_ENDPOINT_URL || 'http://127.0.0.1:4567';

export function makeClient() {
  const credentials = process.env.AWS_ACCESS_KEY_ID
    ? undefined // the SDK's default chain reads the variables
    : { accessKeyId: 'local', secretAccessKey: 'local' };
  return new KinesisClient({ endpoint, region: process.env.AWS_REGION || 'us-east-1', credentials });
}

export function streamName(flag) {
  return flag || process.env.STREAM_NAME || 'orders';
}

// A non-negative integer flag, or exit with a usage message.
export function intFlag(values, name) {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} wants a non-negative integer, got ${values[name]}`);
    process.exit(2);
  }
  return n;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
