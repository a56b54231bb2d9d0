import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demultiplexLogs } from '../../../../core/src/docker/connection';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demultiplexLogs', () => {
  it('joins stdout and stderr frames in order, including multi-byte text', () => {
    assert.equal(
      demultiplexLogs(Buffer.concat([frame(1, 'aarch64\n'), frame(2, 'wärning\n'), frame(1, 'done')])),
      'aarch64\nwärning\ndone',
    );
  });
  it('ignores an incomplete trailing header and returns empty text for no logs', () => {
    assert.equal(demultiplexLogs(Buffer.concat([frame(1, 'ok'), Buffer.from([1, 0, 0])])), 'ok');
    assert.equal(demultiplexLogs(Buffer.alloc(0)), '');
  });
});
