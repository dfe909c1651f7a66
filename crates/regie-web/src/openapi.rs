//! The OpenAPI 3.1 document, generated from the route table: every route with its summary,
//! path parameters, request and response schemas, the permission it needs
//! (`x-regie-permission`) and the problem answers it may give.

use serde_json::{Map, Value, json};

use crate::routes::ROUTES;

fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string", "description": "the path of the field at fault, e.g. tasks[3].duration"},
                "message": {"type": "string"}}, "required": ["field", "message"]}},
            "current_version": {"type": "integer", "description": "on 412: the version to reload"}
        },
        "required": ["type", "title", "status", "detail"]
    })
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES.iter() {
        let parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let method = route.method.as_str().to_lowercase();
        let mut responses = Map::new();
        let success = match route.response {
            Some(schema) => {
                json!({"description": route.summary, "content": {"application/json": {"schema": schema()}}})
            }
            None => json!({"description": route.summary}),
        };
        responses.insert(route.success.to_string(), success);
        let problem = json!({"description": "a problem", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
        responses.insert("default".into(), problem);
        let mut operation = json!({
            "summary": route.summary,
            "operationId": format!("{method} {}", route.path),
            "parameters": parameters,
            "responses": responses,
            "x-regie-permission": route.action.name(),
        });
        if let Some(schema) = route.request {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": schema()}}});
        }
        if route.action == crate::permissions::Action::Public {
            operation["security"] = json!([]);
        }
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        entry[method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Regie API",
            "version": "1",
            "description": "Projects, plans and schedules. Updates need `If-Match` with the ETag (the project version) of what they change: 428 without it, 412 when stale. Errors are application/problem+json. Durations and lags are minutes, dates ISO 8601 in the project's local time, money integer cents."
        },
        "paths": paths,
        "components": {
            "schemas": {"Problem": problem_schema()},
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "a personal API token, regie_..."},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE, "description": "writes also need the X-CSRF-Token header"}
            }
        },
        "security": [{"token": []}, {"session": []}]
    })
}
