//! Plaintext canary: planted names, phones and note text never reach disk
//! as plain bytes, in the vault or in the temp directory.

use crate::util::{contains, walk, Cli};

const CANARIES: &[&str] = &[
    "Zyxcanary Quetzalli",
    "Qwcanary",
    "+1 555 0147 9931",
    "canary.signal.77",
    "zyx.canary@example.org",
    "Plaintext canary: the meeting at the parish hall",
    "Canarytag",
];

#[test]
fn nothing_readable_reaches_disk() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let org = cli
        .ok(&[
            "add",
            "org",
            "--name",
            "Qwcanary Workers",
            "--region",
            "Canaryville",
        ])
        .trim()
        .to_string();
    let p = cli
        .ok(&[
            "add",
            "person",
            "--name",
            CANARIES[0],
            "--alias",
            CANARIES[1],
            "--phone",
            CANARIES[2],
            "--signal",
            CANARIES[3],
            "--email",
            CANARIES[4],
            "--org",
            &org,
            "--tag",
            CANARIES[6],
            "--sensitive",
        ])
        .trim()
        .to_string();
    cli.ok(&[
        "add",
        "note",
        "--title",
        "Parish meeting",
        "--body",
        CANARIES[5],
        "--attendee",
        &p,
    ]);
    cli.ok(&["edit", &p, "--tag", "second Canarytag edit"]);
    cli.ok(&["search", "zyxcanary"]);
    cli.ok(&["list", "person"]);

    let mut scanned = 0;
    for dir in [cli.vault(), cli.tmp()] {
        for file in walk(&dir) {
            let bytes = std::fs::read(&file).unwrap();
            scanned += bytes.len();
            for c in CANARIES
                .iter()
                .chain(&["Canaryville", "second Canarytag edit"])
            {
                assert!(
                    !contains(&bytes, c.as_bytes()),
                    "{c:?} in plain bytes in {}",
                    file.display()
                );
                // also lowercased (the search index folds text)
                let folded = aqui::vault::fold(c);
                assert!(
                    !contains(&bytes, folded.as_bytes()),
                    "{folded:?} in {}",
                    file.display()
                );
            }
        }
    }
    assert!(scanned > 0);
}
