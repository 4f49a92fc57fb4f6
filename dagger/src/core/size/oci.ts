import { z } from "zod";
import type { ImageSize } from "./figures.js";

const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  size: z.number().int().min(0),
});
const index = z.object({ manifests: z.array(descriptor).min(1) });
const manifest = z.object({ layers: z.array(descriptor) });

const INDEX_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];

/** Where a blob lies in an OCI image layout (an exported image tarball). */
export function blobPath(digest: string): string {
  return `blobs/sha256/${digest.slice("sha256:".length)}`;
}

/** What an index.json points at: the digest of the next blob to read, and whether that blob is an index again. */
export function indexEntry(json: string): { digest: string; isIndex: boolean } {
  const [entry] = index.parse(JSON.parse(json)).manifests;
  return {
    digest: entry.digest,
    isIndex: INDEX_TYPES.includes(entry.mediaType ?? ""),
  };
}

/** Compressed size (the layers' blob sizes, what a pull transfers) and layer count from an image manifest. */
export function imageSizeOf(manifestJson: string): ImageSize {
  const { layers } = manifest.parse(JSON.parse(manifestJson));
  return {
    compressed: layers.reduce((total, layer) => total + layer.size, 0),
    layers: layers.length,
  };
}
