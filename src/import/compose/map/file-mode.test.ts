import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileMode } from './file-mode.ts';

test('file modes: octal digits as written (YAML 1.2 reads 0440 as 440), other numbers as bits', () => {
  assert.equal(fileMode(440), '0440');
  assert.equal(fileMode('0400'), '0400');
  assert.equal(fileMode('644'), '0644');
  assert.equal(fileMode(288), '0440', 'YAML 1.1 read 0440 as 288');
  assert.equal(fileMode('rw'), undefined);
  assert.equal(fileMode(4096), undefined);
});
