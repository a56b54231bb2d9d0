import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

describe('GC102 architecture in the tag', () => {
  it('flags an <arch>-<version> multiarch tag on the tag, with the multi-arch equivalent', () => {
    const text = 'FROM multiarch/alpine:arm64-latest-stable\nRUN apk add --no-cache curl\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC102');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 0, character: 22 }, end: { line: 0, character: 41 } });
    assert.equal(
      d.message,
      "Tag 'arm64-latest-stable' of base image 'multiarch/alpine:arm64-latest-stable' pins linux/arm64; on linux/amd64 and linux/arm/v7 it runs arm64 binaries. Use the multi-arch 'alpine:latest'.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC102\.md$/);
  });

  it("reads Alpine's armhf as ARMv6 and says so", () => {
    const [d] = lintStrict('FROM multiarch/alpine:armhf-v3.7\n');
    assert.deepEqual(d.range, { start: { line: 0, character: 22 }, end: { line: 0, character: 32 } });
    assert.equal(
      d.message,
      "Tag 'armhf-v3.7' of base image 'multiarch/alpine:armhf-v3.7' pins linux/arm/v6 ('armhf' is Alpine's name for ARMv6); on linux/amd64, linux/arm64 and linux/arm/v7 it runs armv6 binaries. Use the multi-arch 'alpine:3.7'.",
    );
  });

  it('fixes known multiarch images to their official multi-arch equivalent, and the result is clean', () => {
    const cases: [string, string][] = [
      ['FROM multiarch/alpine:armhf-v3.7\n', 'FROM alpine:3.7\n'],
      ['FROM multiarch/alpine:x86_64-latest-stable AS base\n', 'FROM alpine:latest AS base\n'],
      ['FROM multiarch/alpine:aarch64-edge\n', 'FROM alpine:edge\n'],
      ['FROM docker.io/multiarch/alpine:arm64-v3.12\n', 'FROM alpine:3.12\n'],
      ['FROM multiarch/debian-debootstrap:arm64-bookworm-slim\n', 'FROM debian:bookworm-slim\n'],
      ['FROM multiarch/ubuntu-core:armhf-jammy\n', 'FROM ubuntu:jammy\n'],
    ];
    for (const [text, expected] of cases) {
      const [d] = lintStrict(text);
      assert.equal(d.code, 'GC102', text);
      const fixed = applyFix(text, d);
      assert.equal(fixed, expected);
      assert.deepEqual(lintSummary(fixed), []);
    }
  });

  it('keeps CRLF and tabs when fixing', () => {
    const text = '\tFROM multiarch/alpine:armhf-v3.7 AS base\r\n\tRUN true\r\n';
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 0, character: 23 }, end: { line: 0, character: 33 } });
    const fixed = applyFix(text, d);
    assert.equal(fixed, '\tFROM alpine:3.7 AS base\r\n\tRUN true\r\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('flags an architecture segment in any tag, suggesting the tag without it, with no fix', () => {
    const text = 'FROM node:20-arm64\n';
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 18 } });
    assert.equal(
      d.message,
      "Tag '20-arm64' of base image 'node:20-arm64' pins linux/arm64; on linux/amd64 and linux/arm/v7 it runs arm64 binaries. Use a multi-arch tag such as 'node:20' (the tag without 'arm64') if the image publishes one.",
    );
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ['Ignore GC102 for this instruction', 'Ignore GC102 for this file'],
    );
    assert.deepEqual(lintSummary('FROM mcr.microsoft.com/dotnet/runtime:8.0-jammy-arm64v8\n'), ['GC102 warning 0:38-0:55']);
    assert.deepEqual(lintSummary('FROM example.com/team/app:1.2_x86_64\n'), ['GC102 warning 0:26-0:36']);
    assert.deepEqual(lintSummary('FROM multiarch/alpine:amd64\n'), ['GC102 warning 0:22-0:27']);
  });

  it('resolves ARG defaults, points at the FROM image and fixes the ARG', () => {
    const text = 'ARG BASE=multiarch/alpine:armhf-v3.7\nFROM ${BASE}\n';
    const [d] = lintStrict(text);
    assert.equal(d.code, 'GC102');
    assert.deepEqual(d.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 12 } });
    assert.match(d.message, /^Tag 'armhf-v3\.7' of base image 'multiarch\/alpine:armhf-v3\.7' \(from '\$\{BASE\}'\) pins linux\/arm\/v6/);
    const fixed = applyFix(text, d);
    assert.equal(fixed, 'ARG BASE=alpine:3.7\nFROM ${BASE}\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('offers no fix when the tag comes from its own ARG or a digest pins the per-arch image', () => {
    const viaTag = lintStrict('ARG TAG=armhf-v3.7\nFROM multiarch/alpine:${TAG}\n');
    assert.equal(viaTag.length, 1);
    assert.equal(viaTag[0].data.fixes.filter((f) => !f.title.startsWith('Ignore')).length, 0);
    const digest = lintStrict(`FROM multiarch/alpine:armhf-v3.7@sha256:${'a'.repeat(64)}\n`);
    assert.equal(digest.length, 1);
    assert.equal(digest[0].data.fixes.filter((f) => !f.title.startsWith('Ignore')).length, 0);
  });

  it('does not flag official multi-arch tags', () => {
    const text = [
      'FROM postgres:16-alpine3.19',
      'FROM python:3.12-slim-bookworm',
      'FROM golang:1.22',
      'FROM node:20-bookworm',
      'FROM eclipse-temurin:21-jre',
      'FROM rust:1-slim-bookworm',
      'FROM nvidia/cuda:12.2.0-devel-ubuntu22.04',
      'FROM bitnami/redis:7.2.4-debian-12-r9',
      'FROM alpine',
      'FROM scratch',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), []);
  });

  it('does not flag cross-compilation toolchains, whose tags name the target', () => {
    assert.deepEqual(lintSummary('FROM messense/rust-musl-cross:aarch64-musl AS build\n'), []);
    assert.deepEqual(lintSummary('FROM ghcr.io/cross-rs/cross:x86_64-unknown-linux-gnu AS build\n'), []);
    assert.deepEqual(lintSummary('FROM example.com/toolchain:aarch64-linux-gnu-12 AS build\n'), []);
  });

  it('leaves deliberately per-arch stages and single-platform files alone', () => {
    assert.deepEqual(lintSummary('FROM multiarch/alpine:arm64-v3.7 AS rootfs-arm64\n'), []);
    assert.deepEqual(lintSummary('FROM --platform=$BUILDPLATFORM multiarch/alpine:x86_64-v3.7 AS tools\n'), []);
    assert.deepEqual(lintSummary('# platforms=linux/arm64\nFROM node:20-arm64\n'), []);
    assert.deepEqual(lintSummary('FROM node:20-arm64\n', settings({ platforms: ['linux/arm64'] })), []);
  });

  it('is not exempted by the redundant --platform=$TARGETPLATFORM (removing it changes nothing)', () => {
    assert.deepEqual(lintSummary('FROM --platform=$TARGETPLATFORM node:20-arm64\n'), ['GC105 hint 0:5-0:31', 'GC102 warning 0:37-0:45']);
  });

  it('honours severity settings and suppression pragmas', () => {
    assert.deepEqual(lintSummary('FROM node:20-arm64\n', settings({ rules: { GC102: 'error' } })), ['GC102 error 0:10-0:18']);
    assert.deepEqual(lintSummary('FROM node:20-arm64\n', settings({ rules: { GC102: 'off' } })), []);
    assert.deepEqual(lintSummary('# green-cloud ignore=GC102\nFROM node:20-arm64\n'), []);
    assert.deepEqual(lintSummary('# green-cloud global ignore=GC102\nFROM alpine\nFROM node:20-arm64\n'), []);
  });

  it('never throws on odd images', () => {
    for (const text of [
      'FROM :arm64\n',
      'FROM x:\n',
      `FROM a:${'arm64-'.repeat(50_000)}\n`,
      'FROM ${X}:arm64\n',
      'FROM\n',
      'FROM a:b:c:arm64\n',
    ]) {
      assert.doesNotThrow(() => lintStrict(text), text.slice(0, 40));
    }
  });
});
