#!/usr/bin/env node
// Copies the repository's proto/ tree into libs/protocol/dist/proto, so the built library carries its
// own .proto files and an app runs from dist/ alone (container images copy dist/, not the repository).
// The old copy is removed first: a .proto deleted from proto/ must not linger in dist/.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(projectDir, '../../proto');
const targetDir = path.join(projectDir, 'dist/proto');
rmSync(targetDir, { recursive: true, force: true });
cpSync(sourceDir, targetDir, { recursive: true });
