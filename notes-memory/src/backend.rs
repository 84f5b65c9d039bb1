//! [`MemoryBackend`]'s [`Backend`] impl: each operation takes its tables
//! ([`locks`](crate::locks)) and runs on them.

use notes_core::request::{
    BackupArn, BackupDescription, CreateBackup, DescribeContinuousBackups, ListBackups,
    ListBackupsOutput, PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
    UpdateContinuousBackups,
};
use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, DeleteTable, DescribeScalingPolicies, DescribeTable, GetItem, GetItemOutput,
    PageOutput, PutItem, Query, ScalableTarget, ScalingPolicy, Scan, TableDescription,
    TransactGetItems, TransactGetItemsOutput, TransactWriteItems, TransactWriteItemsOutput,
    UpdateItem, UpdateTable, UpdateTimeToLive, WriteOutput,
};
use notes_core::{Backend, Result};

use crate::items::{self, StagedPut};
use crate::locks::Reach;
use crate::memory_backend::MemoryBackend;
use crate::state::not_found;

impl Backend for MemoryBackend {
    async fn get_item(&self, request: GetItem) -> Result<GetItemOutput> {
        let meter = self.meter();
        self.read_durably(request, |request: GetItem| {
            // The live table, unless an eventually consistent read may see a lagging replica.
            if request.consistent_read || self.state.common.replica.is_none() {
                return self.read_table(&request.table_name, |table| {
                    let table = table.ok_or_else(|| not_found(&request.table_name))?;
                    items::get_item(table, &request, meter)
                });
            }
            let name = request.table_name.clone();
            self.read_tables([name.as_str()], |t| {
                let view = t.lagging([(&*request.table_name, !request.consistent_read)]);
                view.as_ref().unwrap_or(t).get_item(request, meter)
            })
        })
        .await
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        let meter = self.meter();
        let (output, _replaced) = self
            .write_item(
                request,
                |request| &request.table_name,
                |request, definition| StagedPut::new(request, definition, self.store.is_some()),
                |table, put| put.commit(table, meter),
            )
            .await?;
        // The replaced item is freed here, once its table is unlocked.
        Ok(output)
    }

    async fn update_item(&self, request: UpdateItem) -> Result<WriteOutput> {
        let meter = self.meter();
        let name = request.table_name.clone();
        self.write_durably(Reach::table(&name), |t| t.update_item(request, meter))
            .await
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        let meter = self.meter();
        let name = request.table_name.clone();
        self.write_durably(Reach::table(&name), |t| t.delete_item(request, meter))
            .await
    }

    async fn query(&self, request: Query) -> Result<PageOutput> {
        let meter = self.meter();
        self.read_durably(request, |request: Query| {
            let name = request.table_name.clone();
            self.read_tables([name.as_str()], |t| {
                let view = t.lagging([(&*request.table_name, !request.consistent_read)]);
                view.as_ref().unwrap_or(t).query(request, meter)
            })
        })
        .await
    }

    async fn scan(&self, request: Scan) -> Result<PageOutput> {
        let meter = self.meter();
        self.read_durably(request, |request: Scan| {
            let name = request.table_name.clone();
            self.read_tables([name.as_str()], |t| {
                let view = t.lagging([(&*request.table_name, !request.consistent_read)]);
                view.as_ref().unwrap_or(t).scan(request, meter)
            })
        })
        .await
    }

    async fn batch_get_item(&self, request: BatchGetItem) -> Result<BatchGetItemOutput> {
        let meter = self.meter();
        self.read_durably(request, |request: BatchGetItem| {
            let names: Vec<String> = request.request_items.keys().cloned().collect();
            self.read_tables(names.iter().map(String::as_str), |t| {
                let tables = request
                    .request_items
                    .iter()
                    .map(|(name, keys)| (name.as_str(), !keys.consistent_read));
                let view = t.lagging(tables);
                view.as_ref().unwrap_or(t).batch_get_item(request, meter)
            })
        })
        .await
    }

    async fn batch_write_item(&self, request: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        let meter = self.meter();
        let names: Vec<String> = request.request_items.keys().cloned().collect();
        let reach = Reach::Items(names.iter().map(String::as_str).collect());
        self.write_durably(reach, |t| t.batch_write_item(request, meter))
            .await
    }

    async fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> Result<TransactGetItemsOutput> {
        let meter = self.meter();
        self.read_durably(request, |request: TransactGetItems| {
            let names: Vec<String> = request
                .items
                .iter()
                .map(|get| get.table_name.clone())
                .collect();
            self.read_tables(names.iter().map(String::as_str), |t| {
                t.transact_get_items(request, meter)
            })
        })
        .await
    }

    async fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        let meter = self.meter();
        let names: Vec<String> = request
            .items
            .iter()
            .map(|write| write.table_name().to_owned())
            .collect();
        let reach = Reach::Items(names.iter().map(String::as_str).collect());
        self.write_durably(reach, |t| t.transact_write_once(request, meter))
            .await
    }

    async fn create_table(&self, request: CreateTable) -> Result<TableDescription> {
        self.write_durably(Reach::Catalog, |t| t.create_table(request))
            .await
    }

    async fn describe_table(&self, request: DescribeTable) -> Result<TableDescription> {
        self.autoscale();
        self.read_durably(request.table_name, |name: String| {
            self.read_tables([name.as_str()], |t| t.describe_table(&name))
        })
        .await
    }

    async fn delete_table(&self, request: DeleteTable) -> Result<TableDescription> {
        if let Some(throughput) = &self.throughput {
            throughput.forget(&request.table_name);
        }
        self.write_durably(Reach::Catalog, |t| t.delete_table(&request.table_name))
            .await
    }

    async fn update_table(&self, request: UpdateTable) -> Result<TableDescription> {
        let now = self.clock.now();
        let throughput = self.throughput.as_deref();
        self.write_durably(Reach::Catalog, |t| {
            t.update_table(&request, now, throughput)
        })
        .await
    }

    async fn update_continuous_backups(&self, request: UpdateContinuousBackups) -> Result<()> {
        self.write_durably(Reach::Catalog, |t| t.update_continuous_backups(&request))
            .await
    }

    async fn update_time_to_live(&self, request: UpdateTimeToLive) -> Result<()> {
        self.write_durably(Reach::Catalog, |t| {
            t.update_time_to_live(&request.table_name, request.attribute_name, request.enabled)
        })
        .await
    }

    async fn put_scaling_policy(&self, policy: ScalingPolicy) -> Result<()> {
        self.register_scaling_policy(policy)
    }

    async fn describe_scaling_policies(
        &self,
        request: DescribeScalingPolicies,
    ) -> Result<Vec<ScalingPolicy>> {
        Ok(self.scaling_policies(&request.table_name))
    }

    async fn delete_scaling_policy(&self, target: ScalableTarget) -> Result<()> {
        self.deregister_scaling_policy(&target);
        Ok(())
    }

    // ---- Backups ----
    async fn create_backup(&self, request: CreateBackup) -> Result<BackupDescription> {
        self.create_backup_now(&request)
    }

    async fn list_backups(&self, request: ListBackups) -> Result<ListBackupsOutput> {
        self.read_durably(request, |request: ListBackups| {
            self.list_backups_now(&request)
        })
        .await
    }

    async fn describe_backup(&self, backup_arn: BackupArn) -> Result<BackupDescription> {
        self.read_durably(backup_arn, |arn: BackupArn| self.describe_backup_now(&arn))
            .await
    }

    async fn delete_backup(&self, backup_arn: BackupArn) -> Result<BackupDescription> {
        self.delete_backup_now(&backup_arn)
    }

    async fn restore_table_from_backup(
        &self,
        request: RestoreTableFromBackup,
    ) -> Result<TableDescription> {
        self.restore_table_from_backup_now(&request)
    }

    async fn restore_table_to_point_in_time(
        &self,
        request: RestoreTableToPointInTime,
    ) -> Result<TableDescription> {
        self.restore_table_to_point_in_time_now(&request)
    }

    async fn describe_continuous_backups(
        &self,
        request: DescribeContinuousBackups,
    ) -> Result<PointInTimeRecovery> {
        self.read_durably(request.table_name, |name: String| {
            self.describe_continuous_backups_now(&name)
        })
        .await
    }
}
