//! The page's four HTML shells — each lab and its slide embed — written from one
//! template, `www/page.html`: they differ only in title, description, script, and
//! whether the lab's header and preset gallery come with them.

use std::fs;

use anyhow::{Context, Result};

use crate::workspace::root;

struct Shell {
    file: &'static str,
    title: &'static str,
    description: &'static str,
    script: &'static str,
    /// The lab's page, with its header and gallery, or an embed.
    full: Option<Lab>,
    networks: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Lab {
    Optimizers,
    Networks,
}

const OPTIMIZERS: &str = "Gradient descent, momentum, Nesterov, Adagrad, RMSprop, Adadelta, Adam and friends running live on 2D loss surfaces.";
const NETWORKS: &str = "Small networks trained with backpropagation, live: decision maps, the network's weights, loss curves and every quantity of the backward pass.";

const SHELLS: [Shell; 4] = [
    Shell {
        file: "index.html",
        title: "gradscape — optimizers on loss surfaces",
        description: OPTIMIZERS,
        script: "main.js",
        full: Some(Lab::Optimizers),
        networks: false,
    },
    Shell {
        file: "embed.html",
        title: "gradscape",
        description: OPTIMIZERS,
        script: "main.js",
        full: None,
        networks: false,
    },
    Shell {
        file: "networks.html",
        title: "gradscape — networks trained with backprop",
        description: NETWORKS,
        script: "network-main.js",
        full: Some(Lab::Networks),
        networks: true,
    },
    Shell {
        file: "network-embed.html",
        title: "gradscape — a network",
        description: NETWORKS,
        script: "network-main.js",
        full: None,
        networks: true,
    },
];

/// The header of a lab's own page: the name, the two labs and, in one row that scrolls
/// sideways, the gallery of presets.
fn header(lab: Lab) -> String {
    let current = |this: Lab| {
        if this == lab {
            r#" aria-current="page""#
        } else {
            ""
        }
    };
    format!(
        r#"  <header class="top">
    <h1>gradscape</h1>
    <nav class="labs" aria-label="Labs"><a href="index.html"{}>Optimizers</a><a href="networks.html"{}>Networks</a></nav>
    <nav class="gallery" aria-label="Presets"><ul id="presets"></ul></nav>
  </header>
"#,
        current(Lab::Optimizers),
        current(Lab::Networks)
    )
}

/// Writes the four shells into www/.
pub fn write() -> Result<()> {
    let www = root().join("www");
    let template = fs::read_to_string(www.join("page.html")).context("reading www/page.html")?;
    for shell in SHELLS {
        let label = match (shell.full, shell.networks) {
            (Some(_), _) => "",
            (None, false) => r#" aria-label="gradscape demo""#,
            (None, true) => r#" aria-label="gradscape network demo""#,
        };
        let html = template
            .replace("{{title}}", shell.title)
            .replace("{{description}}", shell.description)
            .replace("{{script}}", shell.script)
            .replace(
                "{{body}}",
                if shell.full.is_some() {
                    ""
                } else {
                    r#" class="embed""#
                },
            )
            .replace("{{header}}", &shell.full.map(header).unwrap_or_default())
            .replace(
                "{{main}}",
                if shell.networks {
                    "lab networks"
                } else {
                    "lab"
                },
            )
            .replace("{{label}}", label);
        fs::write(www.join(shell.file), html)
            .with_context(|| format!("writing www/{}", shell.file))?;
    }
    Ok(())
}
