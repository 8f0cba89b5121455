import { modelModuleFor } from './ModelCatalog';

describe('modelModuleFor', () => {
  it('maps built-in groups to kubernetes-models and our operators to their @kubernetes-models package', () => {
    expect(modelModuleFor('v1')).toBe('kubernetes-models/v1');
    expect(modelModuleFor('apps/v1')).toBe('kubernetes-models/apps/v1');
    expect(modelModuleFor('networking.k8s.io/v1')).toBe('kubernetes-models/networking.k8s.io/v1');
    expect(modelModuleFor('keda.sh/v1alpha1')).toBe('@kubernetes-models/keda/keda.sh/v1alpha1');
    expect(modelModuleFor('monitoring.coreos.com/v1')).toBe('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');
    expect(modelModuleFor('postgresql.cnpg.io/v1')).toBe('@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1');
    expect(modelModuleFor('cert-manager.io/v1')).toBe('@kubernetes-models/cert-manager/cert-manager.io/v1');
  });

  it('knows no module for other groups (an unknown kind for the caller)', () => {
    expect(modelModuleFor('external-secrets.io/v1')).toBeUndefined();
  });
});
