//! The browsed tree: typed node ids and each node's children.

pub mod children;
pub mod id;

pub use id::{NodeId, NodePath};
