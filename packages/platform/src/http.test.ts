import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, REQUEST_TIMEOUT_MS, type RunningHttp } from './http.js';

let running: RunningHttp | undefined;
afterEach(async () => {
  await running?.close(0);
  running = undefined;
});

/** A handler that reads the whole body before answering, as the endpoint does. */
async function readingHandler(req: IncomingMessage, res: ServerResponse) {
  let length = 0;
  for await (const chunk of req) length += (chunk as Buffer).length;
  res.end(JSON.stringify({ length }));
}

/** Sends `head` and then nothing more on a raw connection, and resolves with what the server answers. */
function sendAndStall(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('listen: how long a client may take to send its request', () => {
  it('gives the headers and the whole request REQUEST_TIMEOUT_MS, not Node’s five minutes', async () => {
    running = await listen(readingHandler, '127.0.0.1', 0);
    expect(REQUEST_TIMEOUT_MS).toBeLessThan(300_000);
    expect(running.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(running.server.headersTimeout).toBe(REQUEST_TIMEOUT_MS);
  });

  it('answers a body that stops coming 408 REQUEST_TIMEOUT in the endpoint’s error shape', async () => {
    running = await listen(readingHandler, '127.0.0.1', 0, { requestTimeoutMs: 400 });
    const answer = await sendAndStall(
      running.port,
      'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query":',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"reason":"REQUEST_TIMEOUT"');
  });

  it('lets a keep-alive connection idle past the bound between two requests: the time runs from a request’s first byte', async () => {
    running = await listen(readingHandler, '127.0.0.1', 0, { requestTimeoutMs: 400 });
    const port = running.port;
    const answers = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const request = 'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}';
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.write(request);
      setTimeout(() => socket.write(request), 1_500);
      setTimeout(() => {
        socket.end();
        resolve(answer);
      }, 2_000);
    });
    expect(answers.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    expect(answers).not.toContain('408');
  });

  it('answers headers that stop coming 408 REQUEST_TIMEOUT', async () => {
    running = await listen(readingHandler, '127.0.0.1', 0, { requestTimeoutMs: 400 });
    const answer = await sendAndStall(running.port, 'POST /graphql HTTP/1.1\r\nhost: x\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"reason":"REQUEST_TIMEOUT"');
  });
});

describe('listen: a request the handler failed', () => {
  it('is answered 500 in the endpoint’s error shape, and told to onError (for the log) with its error', async () => {
    const told: unknown[] = [];
    const failure = Object.assign(new Error('the handler failed'), { code: 'E_TEST' });
    running = await listen(
      async () => {
        throw failure;
      },
      '127.0.0.1',
      0,
      { onError: (error) => told.push(error) },
    );
    const response = await fetch(`http://127.0.0.1:${running.port}/anything`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(told).toEqual([failure]);
  });
});
