use crate::util::{new_vault, rec};
use aqui::Kind;

#[test]
fn search_ignores_case_and_accents_and_finds_by_org_and_tag() {
    let (_tmp, mut v) = new_vault();
    let centro = v
        .add(rec(Kind::Org, &[("name", "Centro de Trabajadores Unidos")]))
        .unwrap();
    let iglesia = v
        .add(rec(Kind::Org, &[("name", "Iglesia San José")]))
        .unwrap();
    let maria = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "María Peña"),
                ("org", centro.as_str()),
                ("tag", "Respuesta-Rápida"),
            ],
        ))
        .unwrap();
    let jose = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "José"),
                ("alias", "Pepe"),
                ("org", iglesia.as_str()),
            ],
        ))
        .unwrap();
    let note = v
        .add(rec(
            Kind::Note,
            &[
                ("title", "Asamblea"),
                ("body", "Acordamos la conferencia de prensa del miércoles"),
            ],
        ))
        .unwrap();
    fn found(v: &aqui::Vault, q: &str) -> Vec<aqui::Id> {
        v.search(q).into_iter().cloned().collect()
    }
    let ids = |q: &str| found(&v, q);

    assert_eq!(ids("maria"), vec![maria.clone()]);
    assert_eq!(ids("MARÍA"), vec![maria.clone()]);
    assert_eq!(ids("pena"), vec![maria.clone()]);
    assert_eq!(ids("respuesta-rapida"), vec![maria.clone()], "by tag");
    assert_eq!(ids("pepe"), vec![jose.clone()], "by alias");
    assert_eq!(ids("miercoles"), vec![note.clone()], "by note text");
    // by organization: the org itself and its members
    assert_eq!(ids("trabajadores"), vec![centro.clone(), maria.clone()]);
    assert_eq!(ids("san jose"), vec![iglesia.clone(), jose.clone()]);
    assert_eq!(
        ids("jose iglesia"),
        vec![iglesia.clone(), jose.clone()],
        "every word must match"
    );
    assert!(ids("maria iglesia").is_empty());
    assert!(ids("   ").is_empty());

    // renaming the organization finds its people under the new name at once
    v.edit(&centro, &[("name".into(), "Worker Center North".into())])
        .unwrap();
    assert_eq!(found(&v, "north"), vec![centro.clone(), maria.clone()]);
    assert!(!found(&v, "trabajadores").contains(&maria));
    // deleted records are not found
    v.delete(&maria).unwrap();
    assert_eq!(found(&v, "north"), vec![centro]);
}
