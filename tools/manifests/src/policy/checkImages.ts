import type { K8sDocument } from '../K8sDocument';
import type { Problem } from '../Problem';
import { podWorkloads } from './podWorkloads';

/** The tag and digest of an image reference (`registry:5000/name:tag@sha256:…`). */
export function imageReference(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return { name: hasTag ? rest.slice(0, colon) : rest, tag: hasTag ? rest.slice(colon + 1) : undefined, digest };
}

/** Every image is pinned: a tag other than `latest`, or a digest. */
export function checkImages(documents: K8sDocument[], target: string): Problem[] {
  const problems: Problem[] = [];
  for (const w of podWorkloads(documents)) {
    const all = [...w.containers.map((c, i) => ({ c, path: `${w.podSpecPath}.containers[${i}].image` })), ...w.initContainers.map((c, i) => ({ c, path: `${w.podSpecPath}.initContainers[${i}].image` }))];
    for (const { c, path } of all) {
      if (!c.image) {
        problems.push({ code: 'image-not-pinned', target, resource: w.resource, path, message: `container "${c.name}" names no image` });
        continue;
      }
      const ref = imageReference(c.image);
      if (ref.digest) continue;
      if (!ref.tag) problems.push({ code: 'image-not-pinned', target, resource: w.resource, path, message: `image "${c.image}" has no tag (that means latest): pin a version (kustomize images: newTag) or a digest` });
      else if (ref.tag === 'latest') problems.push({ code: 'image-not-pinned', target, resource: w.resource, path, message: `image "${c.image}" uses the tag latest: pin a version or a digest` });
    }
  }
  return problems;
}
