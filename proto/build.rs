//! Compiles `kith/v1/*.proto` without a system `protoc`: protox parses them into a
//! file descriptor set, tonic-prost-build generates the code, and the encoded set is
//! kept for gRPC reflection.

use prost::Message;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = ["kith/v1/types.proto", "kith/v1/admin.proto", "kith/v1/region.proto", "kith/v1/pool.proto"];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let fds = protox::compile(files, ["."])?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("kith_descriptor.bin"), fds.encode_to_vec())?;
    tonic_prost_build::configure().compile_fds(fds)?;
    Ok(())
}
