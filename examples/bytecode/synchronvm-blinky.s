; SynchronVM's chibios-examples/blinky/out.svm (148 bytes), rebuilt from the decoded listing in
; reference/synchronvm.md §1.4. Labels are written as the raw file offsets the listing shows;
; `sensevm disasm` names them. (That file is stale: it was compiled before syncT became
; CALLRTS 8; CALLRTS 4, so on the VM it never writes the LED. It is valid bytecode all the same.)
.format synchronvm 1
.int 1
.int 1
.int 1
.int 0
.int 0
.int 1
.int 10
.int 84000000

    COMB 75
    MOVE
    CLEAR
    CALLRTS channel
    CONS
    PUSH
    SND
    MOVE
    LOADI #0
    CALLRTS spawnExternal
    CONS
    MOVE
    LOADI #1
    SWAP
    FST
    CALL 143
    APP
    STOP
    PUSH                ; 75: not
    MOVE
    LOADI #2
    EQI
    GOTOFALSE 88
    LOADI #3
    RETURN
    REST 0              ; 88
    MOVE
    LOADI #4
    EQI
    GOTOIFALSE 102
    LOADI #5
    RETURN
    CLEAR               ; 102
    RETURN
    PUSH                ; 104: foo
    SND
    CONS
    PUSH
    PUSH
    PUSH
    ACC 2
    SWAP
    SND
    CALLRTS send
    SWAP
    LOADI #6
    MOVE
    LOADI #7
    CALLRTS time
    CONS
    PUSH
    PUSH
    ACC 1
    SWAP
    REST 4
    APP
    SWAP
    REST 3
    CALL 143
    APP
    RETURN
    CUR 104             ; 143
    RETURN
    STOP                ; 147: the label graveyard
