//! CycloneDX XML (1.4–1.6): the same model as the JSON reader, filled from
//! the XML tree (elements matched by local name, whatever the schema
//! version's namespace), then read the same way.

use roxmltree::{Node, ParsingOptions};

use super::cyclonedx::{
    Advisory, Affect, AffectedVersion, Analysis, Bom, Component, Metadata, Rating, Reference,
    Source, Tool, Tools, Vulnerability, interpret,
};
use super::read::Document;

/// Reads a CycloneDX XML document; `None` when it has no vulnerabilities.
pub fn read_xml(bytes: &[u8]) -> Result<Option<Document>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "CycloneDX XML: not UTF-8".to_owned())?;
    // DTDs are refused: no entity expansion from untrusted documents.
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("CycloneDX XML: {e}"))?;
    let root = document.root_element();
    if root.tag_name().name() != "bom" {
        return Err("CycloneDX XML: the root element is not <bom>".to_owned());
    }
    let bom = Bom {
        serial: root.attribute("serialNumber").map(str::to_owned),
        metadata: child(root, "metadata").map(metadata),
        components: children(child(root, "components"), "component")
            .map(component)
            .collect(),
        vulnerabilities: children(child(root, "vulnerabilities"), "vulnerability")
            .map(vulnerability)
            .collect(),
    };
    Ok(interpret(bom, "CycloneDX XML"))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    parent: Option<Node<'a, 'i>>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    parent
        .into_iter()
        .flat_map(|p| p.children())
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn metadata(node: Node<'_, '_>) -> Metadata {
    let tools = child(node, "tools").map(|tools| {
        let listed: Vec<Tool> = children(Some(tools), "tool").map(tool).collect();
        if listed.is_empty() {
            Tools::Object {
                components: children(child(tools, "components"), "component")
                    .map(tool)
                    .collect(),
                services: children(child(tools, "services"), "service")
                    .map(tool)
                    .collect(),
            }
        } else {
            Tools::List(listed)
        }
    });
    Metadata {
        timestamp: text(node, "timestamp"),
        tools,
        component: child(node, "component").map(component),
    }
}

fn tool(node: Node<'_, '_>) -> Tool {
    Tool {
        name: text(node, "name"),
        version: text(node, "version"),
    }
}

fn component(node: Node<'_, '_>) -> Component {
    Component {
        bom_ref: node.attribute("bom-ref").map(str::to_owned),
        kind: node.attribute("type").map(str::to_owned),
        name: text(node, "name"),
        version: text(node, "version"),
        purl: text(node, "purl"),
        components: children(child(node, "components"), "component")
            .map(component)
            .collect(),
    }
}

fn source(node: Node<'_, '_>) -> Source {
    Source {
        name: text(node, "name"),
        url: text(node, "url"),
    }
}

fn vulnerability(node: Node<'_, '_>) -> Vulnerability {
    Vulnerability {
        id: text(node, "id"),
        source: child(node, "source").map(source),
        references: children(child(node, "references"), "reference")
            .map(|r| Reference { id: text(r, "id") })
            .collect(),
        ratings: children(child(node, "ratings"), "rating")
            .map(|r| Rating {
                source: child(r, "source").map(source),
                score: text(r, "score").and_then(|s| s.parse().ok()),
                severity: text(r, "severity"),
                method: text(r, "method"),
            })
            .collect(),
        description: text(node, "description"),
        detail: text(node, "detail"),
        recommendation: text(node, "recommendation"),
        advisories: children(child(node, "advisories"), "advisory")
            .map(|a| Advisory {
                url: text(a, "url"),
            })
            .collect(),
        affects: children(child(node, "affects"), "target")
            .map(|target| Affect {
                reference: text(target, "ref").unwrap_or_default(),
                versions: children(child(target, "versions"), "version")
                    .map(|v| AffectedVersion {
                        version: text(v, "version"),
                        range: text(v, "range"),
                        status: text(v, "status"),
                    })
                    .collect(),
            })
            .collect(),
        analysis: child(node, "analysis").map(|a| Analysis {
            state: text(a, "state"),
            justification: text(a, "justification"),
            detail: text(a, "detail"),
        }),
    }
}
