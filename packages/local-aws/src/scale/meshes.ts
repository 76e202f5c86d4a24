import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ScaleMesh, ScaleSpec } from './seed';

/** The scale meshes seeded into a data dir (`scale-mesh.json`), oldest first. */
export function readScaleMeshes(file: string): ScaleMesh[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  return Array.isArray(parsed) ? (parsed as ScaleMesh[]) : [];
}

export function writeScaleMeshes(file: string, meshes: ScaleMesh[]) {
  writeFileSync(file, `${JSON.stringify(meshes, null, 2)}\n`);
}

/** The mesh a spec already produced in this data dir, if any. */
export function findScaleMesh(
  meshes: ScaleMesh[],
  spec: ScaleSpec,
): ScaleMesh | undefined {
  const name =
    spec.domainName ??
    `Scale Data Mesh ${spec.products}x${spec.assetsPerProduct}`;
  return meshes.find(m => m.domainName === name);
}
