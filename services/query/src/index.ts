export * from './auth/Credential';
export * from './createQueryApp';
export * from './readmodel/SessionStore';
export * from './readmodel/SessionReadModel';
export * from './readmodel/PostgresSessionStore';
export * from './readmodel/SessionProjector';
export * from './readmodel/rebuildReadModels';
