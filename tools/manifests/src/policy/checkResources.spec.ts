import { compliantDeployment, containerOf, podSpecOf } from '../testing/fixtures';
import { checkResources } from './checkResources';

describe('checkResources', () => {
  it('accepts containers that request and limit CPU and memory', () => {
    expect(checkResources([compliantDeployment('ingest')], 't')).toEqual([]);
  });

  it('lists what a container leaves out, init containers included', () => {
    const d = compliantDeployment('ingest');
    containerOf(d).resources = { requests: { cpu: '1' } };
    podSpecOf(d).initContainers = [{ name: 'migrate', image: 'x:1' }];
    expect(checkResources([d], 't').map((p) => [p.path, p.message])).toEqual([
      ['spec.template.spec.containers[0].resources', 'container "ingest" sets no requests.memory, limits.cpu, limits.memory: every container requests and limits CPU and memory'],
      ['spec.template.spec.initContainers[0].resources', 'container "migrate" sets no requests.cpu, requests.memory, limits.cpu, limits.memory: every container requests and limits CPU and memory'],
    ]);
  });
});
