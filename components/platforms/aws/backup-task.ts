/** The backupTask output: how to run the AWS backup task by hand, for a restore (`prosody-stack restore --task`). */
export interface BackupTask {
  cluster: string;
  /** the task definition's family: its latest revision runs */
  taskDefinition: string;
  subnets: string[];
  securityGroups: string[];
  /** Prosody's ECS service, which a restore scales to 0 and back to 1 */
  service: string;
}
