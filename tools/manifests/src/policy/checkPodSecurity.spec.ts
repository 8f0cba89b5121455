import { compliantDeployment, containerOf, podSpecOf } from '../testing/fixtures';
import { checkPodSecurity } from './checkPodSecurity';

describe('checkPodSecurity', () => {
  it('accepts the restricted profile, set partly on the pod and partly on the container', () => {
    expect(checkPodSecurity([compliantDeployment('query')], 't')).toEqual([]);
  });

  it('reports every rule broken, naming the field to set', () => {
    const d = compliantDeployment('query');
    podSpecOf(d).securityContext = { runAsUser: 0 };
    podSpecOf(d).hostNetwork = true;
    podSpecOf(d).volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }];
    containerOf(d).securityContext = { privileged: true, capabilities: { add: ['NET_ADMIN', 'NET_BIND_SERVICE'] } };
    expect(checkPodSecurity([d], 't').map((p) => p.path)).toEqual([
      'spec.template.spec.hostNetwork',
      'spec.template.spec.volumes[0].hostPath',
      'spec.template.spec.containers[0].securityContext.runAsNonRoot',
      'spec.template.spec.containers[0].securityContext.runAsUser',
      'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'spec.template.spec.containers[0].securityContext.privileged',
      'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
      'spec.template.spec.containers[0].securityContext.capabilities.drop',
      'spec.template.spec.containers[0].securityContext.capabilities.add',
      'spec.template.spec.containers[0].securityContext.seccompProfile',
    ]);
  });
});
