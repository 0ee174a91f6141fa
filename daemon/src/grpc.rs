//! A daemon's gRPC server with what every gRPC server of Kith serves beside its own
//! API: the standard health service (`grpc.health.v1`, what load balancers and
//! `grpc_health_probe` ask) and reflection in both versions (older grpcurl releases
//! only speak v1alpha), listing only the services this daemon serves.

use thiserror::Error;
use tonic::server::NamedService;
use tonic::transport::Server;
use tonic::transport::server::Router;

#[derive(Debug, Error)]
#[error("gRPC reflection: {0}")]
pub struct ReflectionError(#[from] tonic_reflection::server::Error);

/// A server builder with health (reporting `S` as serving) and reflection added,
/// ready for the daemon's own service `S` to be added to it. `descriptors` is the
/// encoded descriptor set that describes `S`.
pub async fn router<S: NamedService>(
    mut builder: Server,
    descriptors: &'static [u8],
) -> Result<Router, ReflectionError> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_service_status(S::NAME, tonic_health::ServingStatus::Serving).await;
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(descriptors)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .with_service_name(S::NAME)
            .with_service_name("grpc.health.v1.Health")
            .with_service_name("grpc.reflection.v1.ServerReflection")
            .with_service_name("grpc.reflection.v1alpha.ServerReflection")
    };
    let (v1, v1alpha) = (reflection().build_v1()?, reflection().build_v1alpha()?);
    Ok(builder.add_service(health_service).add_service(v1).add_service(v1alpha))
}
