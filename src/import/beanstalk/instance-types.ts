// EC2 instance types Beanstalk apps commonly ran on: vCPUs and memory. One instance ran one copy
// of the app, so its size is where a container's limit starts (a quarter left for the system).
const TYPES: Readonly<Record<string, { cpus: number; memoryGiB: number }>> = {
  't2.micro': { cpus: 1, memoryGiB: 1 },
  't2.small': { cpus: 1, memoryGiB: 2 },
  't2.medium': { cpus: 2, memoryGiB: 4 },
  't2.large': { cpus: 2, memoryGiB: 8 },
  't3.micro': { cpus: 2, memoryGiB: 1 },
  't3.small': { cpus: 2, memoryGiB: 2 },
  't3.medium': { cpus: 2, memoryGiB: 4 },
  't3.large': { cpus: 2, memoryGiB: 8 },
  't3.xlarge': { cpus: 4, memoryGiB: 16 },
  't3a.small': { cpus: 2, memoryGiB: 2 },
  't3a.medium': { cpus: 2, memoryGiB: 4 },
  'm5.large': { cpus: 2, memoryGiB: 8 },
  'm5.xlarge': { cpus: 4, memoryGiB: 16 },
  'c5.large': { cpus: 2, memoryGiB: 4 },
  'c5.xlarge': { cpus: 4, memoryGiB: 8 },
  'r5.large': { cpus: 2, memoryGiB: 16 },
};

/** The resources one container gets for what one `type` instance ran, or undefined. */
export function instanceResources(type: string): { cpu: number; memory: string; note: string } | undefined {
  const t = TYPES[type.trim()];
  if (!t) return undefined;
  const mib = Math.floor((t.memoryGiB * 1024 * 3) / 4);
  return {
    cpu: t.cpus,
    memory: `${mib}Mi`,
    note: `one ${type} instance (${t.cpus} vCPU, ${t.memoryGiB} GiB) ran the app: the limit is the instance minus a quarter for the system — measure and adjust`,
  };
}
