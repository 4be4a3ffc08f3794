'use strict';
// Checks a raw JSON answer against the model the SDK deserializes it into:
// every field must be one the SDK's model declares (unless the model is
// extensible, like `UserProfile`), dates must parse, enums must hold one of
// the SDK's values, and nested models are checked the same way. The SDK
// itself silently drops fields it does not know; this makes that a failure,
// so a stand-in that drifts from Okta's wire fails here.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const okta = require('@okta/okta-sdk-nodejs');

const MODELS = path.join(
  path.dirname(require.resolve('@okta/okta-sdk-nodejs/package.json')),
  'src/types/generated/models',
);
const PRIMITIVES = { string: 'string', number: 'number', boolean: 'boolean' };

/** An enum's values from the SDK's declaration (`export type X = 'A' | 'B';`). */
function enumValues(type) {
  const file = path.join(MODELS, `${type}.d.ts`);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const declaration = new RegExp(`export type ${type} = ([^;]+);`).exec(fs.readFileSync(file, 'utf8'));
  return declaration ? [...declaration[1].matchAll(/'([^']*)'/g)].map((m) => m[1]) : undefined;
}

function conforms(value, type, where) {
  if (value === null || value === undefined || type === 'any') {
    return;
  }
  if (type.startsWith('Array<')) {
    assert.ok(Array.isArray(value), `${where} must be an array`);
    value.forEach((item, i) => conforms(item, type.slice(6, -1), `${where}[${i}]`));
    return;
  }
  if (type === 'Date') {
    assert.equal(typeof value, 'string', `${where} must be a date-time string`);
    assert.ok(!Number.isNaN(Date.parse(value)), `${where} must parse as a date: ${value}`);
    return;
  }
  if (PRIMITIVES[type]) {
    assert.equal(typeof value, PRIMITIVES[type], `${where} must be a ${type}`);
    return;
  }
  const model = okta[type];
  if (model?.getAttributeTypeMap) {
    conformsToModel(value, model, type, where);
    return;
  }
  const values = enumValues(type);
  assert.ok(values, `${where}: the SDK has no model or enum ${type}`);
  assert.ok(values.includes(value), `${where} = ${JSON.stringify(value)} is not one of ${type}: ${values}`);
}

function conformsToModel(value, model, type, where) {
  assert.equal(typeof value, 'object', `${where} must be an object (${type})`);
  const attributes = model.getAttributeTypeMap();
  if (!model.isExtensible) {
    const known = new Set(attributes.map((a) => a.baseName));
    const unknown = Object.keys(value).filter((key) => !known.has(key));
    assert.deepEqual(unknown, [], `${where} has fields the SDK's ${type} does not know`);
  }
  for (const attribute of attributes) {
    conforms(value[attribute.baseName], attribute.type, `${where}.${attribute.baseName}`);
  }
}

/** Asserts that `value` is a well-formed `type` (an SDK model name). */
function assertConforms(value, type) {
  conforms(value, type, type);
}

module.exports = { assertConforms };
