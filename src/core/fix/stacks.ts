// Every stack a fix can be rendered for, in the order a list shows them.
import type { Stack } from './render';
import { apache } from './stacks/apache';
import { aspnet } from './stacks/aspnet';
import { azure } from './stacks/azure';
import { caddy } from './stacks/caddy';
import { django } from './stacks/django';
import { express } from './stacks/express';
import { fastapi } from './stacks/fastapi';
import { fastify } from './stacks/fastify';
import { gcs } from './stacks/gcs';
import { nginx } from './stacks/nginx';
import { s3 } from './stacks/s3';
import { spring } from './stacks/spring';

export const STACKS: readonly Stack[] = [express, fastify, nginx, apache, caddy, spring, django, fastapi, aspnet, s3, gcs, azure];

export function stackById(id: string): Stack | undefined {
  return STACKS.find((s) => s.id === id);
}
